/**
 * Ensemble selection for the search bench, judged by CV only: every kind's best candidate (its best
 * params) gets out-of-fold probabilities over the search's own folds, then equal-weight soft voting of
 * every subset of two or more kinds is scored by mean fold F1 (exhaustive ensemble selection; with the
 * bench's eight kinds, 247 subsets, all cheap once the out-of-fold probabilities exist). The best subset is
 * chosen only when its mean fold F1 beats the best single candidate's; ties keep the smaller subset, then
 * the one with better-ranked kinds. The test split is never seen here.
 */
import { takeRows, takeValues, type Matrix } from '../../src/core/matrix.js';
import { f1Score } from '../../src/ml/metrics/index.js';
import { findClassifier, type SearchResult, type TrialResult } from '../../src/ml/model-selection/index.js';

export interface VotingChoice {
  /** Every subset tried, best mean fold F1 first. */
  tried: { members: string[]; cvF1: number }[];
  /** The chosen member kinds, or undefined when no ensemble beats the best single candidate. */
  chosen?: { members: string[]; cvF1: number };
}

/** Out-of-fold P(posLabel) of the trial's params on the search's folds. */
async function outOfFold(t: TrialResult, r: SearchResult, X: Matrix, y: Float64Array, posLabel: number): Promise<Float64Array> {
  const oof = new Float64Array(y.length);
  for (const f of r.folds) {
    const m = await findClassifier(t.kind)!.create(t.params).fit(takeRows(X, f.train), takeValues(y, f.train));
    const k = Array.from(m.classes).indexOf(posLabel);
    const P = m.predictProba(takeRows(X, f.test));
    f.test.forEach((i, j) => (oof[i] = P.data[j * P.cols + k]!));
  }
  return oof;
}

/** Subsets of {0..n-1} with at least two members, smaller first, then in lexicographic order. */
function subsets(n: number): number[][] {
  const out: number[][] = [];
  for (let mask = 1; mask < 1 << n; mask++) {
    const s: number[] = [];
    for (let i = 0; i < n; i++) if ((mask & (1 << i)) !== 0) s.push(i);
    if (s.length >= 2) out.push(s);
  }
  return out.sort((a, b) => a.length - b.length || a.join(',').localeCompare(b.join(',')));
}

/**
 * Scores soft voting of every subset (>= 2) of the kinds' best candidates, by mean fold F1 on
 * out-of-fold probabilities (needs refit 'perKind' results scored by F1).
 */
export async function votingByCv(r: SearchResult, X: Matrix, y: Float64Array, posLabel: number): Promise<VotingChoice> {
  const ranked = Object.values(r.bestByKind!).map((b) => b.trial).sort((a, b) => b.meanScore - a.meanScore);
  const oofs: Float64Array[] = [];
  for (const t of ranked) oofs.push(await outOfFold(t, r, X, y, posLabel));
  const other = Array.from(new Set(y)).find((c) => c !== posLabel)!;
  const foldY = r.folds.map((f) => takeValues(y, f.test));
  const tried: { members: string[]; cvF1: number }[] = [];
  let chosen: VotingChoice['chosen'];
  for (const s of subsets(ranked.length)) {
    let sum = 0;
    r.folds.forEach((f, fi) => {
      const pred = Float64Array.from(f.test, (i) => {
        let p = 0;
        for (const m of s) p += oofs[m]![i]!;
        p /= s.length;
        return p > 1 - p ? posLabel : other;
      });
      sum += f1Score(foldY[fi]!, pred, posLabel);
    });
    const cvF1 = sum / r.folds.length;
    const members = s.map((m) => ranked[m]!.kind);
    tried.push({ members, cvF1 });
    if (cvF1 > r.best.meanScore && (chosen === undefined || cvF1 > chosen.cvF1)) chosen = { members, cvF1 };
  }
  tried.sort((a, b) => b.cvF1 - a.cvF1);
  return chosen === undefined ? { tried } : { tried, chosen };
}
