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
  sorted?: { bins: Uint8Array; perm: Int32Array; stride: number };
}

/** Writes the raw scores of rows [rowStart, rowEnd) into `out`. */
export function scoreRows(t: ScoreTask, plan?: MaskPlan | null): void {
  if (t.sorted !== undefined) {
    const p = plan ?? maskPlan(t.forest, t.mapper);
    if (p === null) throw new Error('sorted rows were given for a model that the mask walk declines');
    maskScoresInto(t.forest, t.mapper, p, { ...t.sorted, cols: t.cols }, t.rowStart, t.rowEnd, t.out);
    return;
  }
  const rows = t.rowEnd - t.rowStart;
  const X = matrix(rows, t.cols, t.X.subarray(t.rowStart * t.cols, t.rowEnd * t.cols));
  t.out.set(forestScores(t.forest, t.mapper, X), t.rowStart);
}

/** A ScoreTask whose rows are taken chunk by chunk from a shared counter (claim[0] = next chunk). */
export interface ClaimScoreTask extends ScoreTask {
  claim: Int32Array;
  chunk: number;
}

/** Scores chunks of rows [rowStart, rowEnd) claimed from `t.claim` until none are left; returns how many. */
export function scoreClaimedRows(t: ClaimScoreTask, plan?: MaskPlan | null): number {
  let chunks = 0;
  const p = t.sorted !== undefined ? (plan ?? maskPlan(t.forest, t.mapper)) : null;
  for (;;) {
    const start = t.rowStart + Atomics.add(t.claim, 0, 1) * t.chunk;
    if (start >= t.rowEnd) return chunks;
    scoreRows({ ...t, rowStart: start, rowEnd: Math.min(t.rowEnd, start + t.chunk) }, p);
    chunks++;
  }
}
