/**
 * The train stage's soft-vote rule, judged by cross-validation only: the candidates ranked by mean CV
 * score (best first); for the top 2 and the top 3, their out-of-fold probabilities of the positive class
 * are averaged with equal weights, thresholded at 0.5 (>= 0.5 is positive) and scored by F1 per fold.
 * The better of the two is offered only when its mean fold F1 beats the best single candidate's.
 * Used by src/pipeline/stages/train.ts and by bench/search's 21-split row.
 */
import { takeValues } from '../../core/matrix.js';
import { f1Score } from '../metrics/index.js';
import type { Split } from './split.js';

export interface VoteInput {
  /** Mean CV score of the candidate (its rank). */
  meanScore: number;
  /** Out-of-fold P(posLabel) per training row, from the same folds. */
  oof: Float64Array;
}

export interface SoftVote {
  /** How many of the top candidates vote (2 or 3). */
  size: number;
  foldScores: number[];
  mean: number;
  /** The averaged out-of-fold probabilities. */
  oof: Float64Array;
}

/**
 * Applies the rule to `ranked` (best mean CV score first). Returns every size tried with its mean fold F1,
 * and the chosen vote or null when no vote beats the best single candidate.
 */
export function softVoteTopK(ranked: readonly VoteInput[], y: Float64Array, folds: readonly Split[], posLabel: number, negLabel: number): { tried: { size: number; mean: number }[]; chosen: SoftVote | null } {
  const bestSingle = ranked[0]?.meanScore ?? 0;
  const tried: { size: number; mean: number }[] = [];
  let chosen: SoftVote | null = null;
  for (const size of [2, 3]) {
    if (ranked.length < size) break;
    const oof = new Float64Array(y.length);
    for (const m of ranked.slice(0, size)) m.oof.forEach((p, i) => (oof[i]! += p / size));
    const foldScores = folds.map((f) => f1Score(takeValues(y, f.test), Float64Array.from(f.test, (i) => (oof[i]! >= 0.5 ? posLabel : negLabel)), posLabel));
    const mean = foldScores.reduce((a, b) => a + b, 0) / foldScores.length;
    tried.push({ size, mean });
    if (mean > bestSingle && (!chosen || mean > chosen.mean)) chosen = { size, foldScores, mean, oof };
  }
  return { tried, chosen };
}
