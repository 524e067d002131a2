/**
 * A sort (sort-rows.ts) shared by the threads of predictProbaAsync. X sits in shared memory; the
 * threads claim pieces of rows from counters in `state` to bin, the caller's thread ("leader") then
 * ranks the rows alone, and the threads claim pieces again to scatter them. Nobody waits on a piece
 * that nobody has claimed, so a worker that starts late only leaves more pieces to the others; the
 * leader does everything itself if need be.
 *
 * state: [binNext, binDone, phase (0 binning, 1 ranked, -1 given up), bad value seen, scatterNext,
 * scatterDone].
 */
import type { SortJob } from './sort-rows.js';
import { binInto, rankRows, scatterInto } from './sort-rows.js';

export interface SharedSort {
  job: SortJob;
  /** The rows to sort, row-major, in shared memory. */
  X: Float64Array;
  state: Int32Array;
  /** Rows per claimed piece. */
  piece: number;
}

const BIN_NEXT = 0;
const BIN_DONE = 1;
const PHASE = 2;
const BAD = 3;
const SCATTER_NEXT = 4;
const SCATTER_DONE = 5;
/** How long a follower waits for the leader's ranking before giving up its part (ms). */
const FOLLOW_PATIENCE = 10_000;

/** A shared sort of the rows in X (shared memory) for `job`. */
export function sharedSort(job: SortJob, X: Float64Array, piece: number): SharedSort {
  return { job, X, state: new Int32Array(new SharedArrayBuffer(6 * 4)), piece };
}

const piecesOf = (s: SharedSort): number => Math.ceil(s.job.rows / s.piece);

/** Claims pieces from counter `next` and runs them; the last one done wakes the waiters on `done`. */
function claimPieces(s: SharedSort, next: number, done: number, run: (r0: number, r1: number) => void): void {
  const pieces = piecesOf(s);
  for (let k = Atomics.add(s.state, next, 1); k < pieces; k = Atomics.add(s.state, next, 1)) {
    run(k * s.piece, Math.min(s.job.rows, (k + 1) * s.piece));
    if (Atomics.add(s.state, done, 1) + 1 === pieces) Atomics.notify(s.state, done);
  }
}

/** Waits until state[i] reaches `target`; false if `patience` ms pass first. */
function waitFor(s: SharedSort, i: number, target: number, patience: number): boolean {
  const until = performance.now() + patience;
  for (let v = Atomics.load(s.state, i); v < target; v = Atomics.load(s.state, i)) {
    if (performance.now() > until) return false;
    Atomics.wait(s.state, i, v, 20);
  }
  return true;
}

const binPieces = (s: SharedSort): void => claimPieces(s, BIN_NEXT, BIN_DONE, (r0, r1) => {
  if (!binInto(s.job, s.X, r0, r1)) Atomics.store(s.state, BAD, 1);
});
const scatterPieces = (s: SharedSort): void => claimPieces(s, SCATTER_NEXT, SCATTER_DONE, (r0, r1) => scatterInto(s.job, r0, r1));

/**
 * A worker's part: bin, wait for the leader's ranking, scatter, wait until every row is in place.
 * Returns false when the leader gave up (bad input) or took too long, and the worker should not score.
 */
export function followSort(s: SharedSort): boolean {
  binPieces(s);
  for (let ph = Atomics.load(s.state, PHASE), until = performance.now() + FOLLOW_PATIENCE; ph === 0; ph = Atomics.load(s.state, PHASE)) {
    if (performance.now() > until) return false;
    Atomics.wait(s.state, PHASE, 0, 20);
  }
  if (Atomics.load(s.state, PHASE) < 0) return false;
  scatterPieces(s);
  return waitFor(s, SCATTER_DONE, piecesOf(s), FOLLOW_PATIENCE);
}

/**
 * The caller's part: bin, wait for the other threads' pieces, then `checkBad` when a value was not
 * finite (it should throw; the sort is marked given up first, so workers stop), rank, and scatter.
 * If a worker holds a piece for too long, the leader redoes every piece itself (the results are the same).
 */
export function leadSort(s: SharedSort, checkBad: () => void): void {
  const pieces = piecesOf(s);
  binPieces(s);
  if (!waitFor(s, BIN_DONE, pieces, 2_000)) {
    for (let k = 0; k < pieces; k++) if (!binInto(s.job, s.X, k * s.piece, Math.min(s.job.rows, (k + 1) * s.piece))) Atomics.store(s.state, BAD, 1);
  }
  if (Atomics.load(s.state, BAD) !== 0) {
    Atomics.store(s.state, PHASE, -1);
    Atomics.notify(s.state, PHASE);
    checkBad();
    throw new Error('a value was not finite, but the check found none');
  }
  rankRows(s.job);
  Atomics.store(s.state, PHASE, 1);
  Atomics.notify(s.state, PHASE);
  scatterPieces(s);
  if (!waitFor(s, SCATTER_DONE, pieces, 2_000)) scatterInto(s.job, 0, s.job.rows);
}
