/**
 * Scoring a slice of rows on a worker thread: the forest, the cut points, X and the output all live in
 * SharedArrayBuffers, so a task is only a row range and nothing is copied per task. With a claim
 * counter, several threads (the caller's included) take fixed-size chunks of rows until none are left.
 */
import { matrix } from '../../core/matrix.js';
import type { BinMapper } from './binning.js';
import type { FlatForest } from './flat-forest.js';
import { forestScores } from './flat-forest.js';
import type { MaskPlan } from './mask-scores.js';
import { maskPlan, maskScoresInto } from './mask-scores.js';
import type { SharedSort } from './shared-sort.js';
import { followSort } from './shared-sort.js';

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
   * Rows binned and sorted for the mask walk (sort-rows.ts): then rows [rowStart, rowEnd) are
   * positions in the sorted order, and X is not read. With `shared`, the threads first finish the sort
   * together (shared-sort.ts); scoring starts when every row is in place.
   */
  sorted?: { bins: Uint8Array; perm: Int32Array; stride: number; shared?: SharedSort };
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

/** Scores chunks of rows [rowStart, rowEnd) claimed from `t.claim` until none are left; returns how many. */
export function scoreClaimedRows(t: ClaimScoreTask, plan?: MaskPlan | null): number {
  if (t.sorted?.shared !== undefined && !followSort(t.sorted.shared)) return 0;
  let chunks = 0;
  const p = t.sorted !== undefined ? (plan ?? maskPlan(t.forest, t.mapper)) : null;
  for (;;) {
    const start = t.rowStart + Atomics.add(t.claim, 0, 1) * t.chunk;
    if (start >= t.rowEnd) return chunks;
    scoreRows({ ...t, rowStart: start, rowEnd: Math.min(t.rowEnd, start + t.chunk) }, p);
    chunks++;
  }
}
