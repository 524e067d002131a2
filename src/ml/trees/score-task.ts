/**
 * Scoring a slice of rows on a worker thread: the forest, the cut points, X and the output all live in
 * SharedArrayBuffers, so a task is only a row range and nothing is copied per task. With a claim
 * counter, several threads (the caller's included) take fixed-size chunks of rows until none are left.
 */
import { matrix } from '../../core/matrix.js';
import type { BinMapper } from './binning.js';
import type { FlatForest } from './flat-forest.js';
import { forestScores } from './flat-forest.js';
import type { MaskPlan, PendingScatter } from './mask-scores.js';
import { maskPlan, maskScoresInto, scatterRows } from './mask-scores.js';

export interface ScoreTask {
  forest: FlatForest;
  mapper: BinMapper;
  X: Float64Array;
  cols: number;
  /** Raw scores are written to out[rowStart .. rowEnd). */
  out: Float64Array;
  rowStart: number;
  rowEnd: number;
  /**
   * Rows already binned and sorted for the mask walk (mask-scores.ts sortRows): then rows
   * [rowStart, rowEnd) are positions in the sorted order, and X is not read.
   */
  sorted?: {
    bins: Uint8Array;
    perm: Int32Array;
    stride: number;
    /**
     * Rows still to be moved into `bins` (sortRows with deferScatter), in pieces of `piece` rows that
     * the threads claim from scatter.claim[0]; claim[1] counts pieces done. Scoring starts when all are.
     */
    scatter?: PendingScatter & { claim: Int32Array; piece: number };
  };
  /**
   * When set, each scored row's probabilities are also written: proba[2i] = 1 - p, proba[2i + 1] = p
   * for the row at the caller's index i, with p the score itself or its sigmoid.
   */
  proba?: { out: Float64Array; sigmoid: boolean };
}

/** Writes the probabilities of rows [start, end) (sorted positions when `perm` is given) from their scores. */
function writeProba(t: ScoreTask, start: number, end: number): void {
  if (t.proba === undefined) return;
  const { out: P, sigmoid } = t.proba;
  const perm = t.sorted?.perm;
  for (let i = start; i < end; i++) {
    const j = perm === undefined ? i : perm[i]!;
    const s = t.out[j]!;
    const p = sigmoid ? 1 / (1 + Math.exp(-s)) : s;
    P[2 * j] = 1 - p;
    P[2 * j + 1] = p;
  }
}

/** Writes the raw scores of rows [rowStart, rowEnd) into `out`. */
export function scoreRows(t: ScoreTask, plan?: MaskPlan | null): void {
  if (t.sorted !== undefined) {
    const p = plan ?? maskPlan(t.forest, t.mapper);
    if (p === null) throw new Error('sorted rows were given for a model that the mask walk declines');
    maskScoresInto(t.forest, t.mapper, p, { ...t.sorted, cols: t.cols }, t.rowStart, t.rowEnd, t.out);
  } else {
    const rows = t.rowEnd - t.rowStart;
    const X = matrix(rows, t.cols, t.X.subarray(t.rowStart * t.cols, t.rowEnd * t.cols));
    t.out.set(forestScores(t.forest, t.mapper, X), t.rowStart);
  }
  writeProba(t, t.rowStart, t.rowEnd);
}

/** A ScoreTask whose rows are taken chunk by chunk from a shared counter (claim[0] = next chunk). */
export interface ClaimScoreTask extends ScoreTask {
  claim: Int32Array;
  chunk: number;
}

/**
 * Does claimed pieces of a deferred scatter until none are left, then waits until the other threads
 * have finished theirs. No thread waits on a piece nobody has claimed, so a late or busy worker only
 * leaves more pieces to the others.
 */
function finishScatter(t: ClaimScoreTask): void {
  const s = t.sorted?.scatter;
  if (s === undefined) return;
  const rows = s.rank.length;
  const pieces = Math.ceil(rows / s.piece);
  for (;;) {
    const k = Atomics.add(s.claim, 0, 1);
    if (k >= pieces) break;
    scatterRows(s, t.sorted!.bins, t.sorted!.stride, k * s.piece, Math.min(rows, (k + 1) * s.piece));
    if (Atomics.add(s.claim, 1, 1) + 1 === pieces) Atomics.notify(s.claim, 1);
  }
  for (let done = Atomics.load(s.claim, 1); done < pieces; done = Atomics.load(s.claim, 1)) Atomics.wait(s.claim, 1, done, 50);
}

/** Scores chunks of rows [rowStart, rowEnd) claimed from `t.claim` until none are left; returns how many. */
export function scoreClaimedRows(t: ClaimScoreTask, plan?: MaskPlan | null): number {
  finishScatter(t);
  let chunks = 0;
  const p = t.sorted !== undefined ? (plan ?? maskPlan(t.forest, t.mapper)) : null;
  for (;;) {
    const start = t.rowStart + Atomics.add(t.claim, 0, 1) * t.chunk;
    if (start >= t.rowEnd) return chunks;
    scoreRows({ ...t, rowStart: start, rowEnd: Math.min(t.rowEnd, start + t.chunk) }, p);
    chunks++;
  }
}
