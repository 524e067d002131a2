/**
 * The default preset's soft-voting rule for the search bench, judged by CV only: the two and three
 * kinds with the best mean CV F1 (each with its best params) are averaged on out-of-fold probabilities
 * over the search's own folds; an ensemble is chosen only when its mean fold F1 beats the best single
 * candidate's (as src/pipeline/stages/train.ts does).
 */
import { takeRows, takeValues, type Matrix } from '../../src/core/matrix.js';
import { f1Score } from '../../src/ml/metrics/index.js';
import { findClassifier, type SearchResult, type TrialResult } from '../../src/ml/model-selection/index.js';

export interface VotingChoice {
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

/** Tries soft voting of the top 2 and top 3 kinds (needs refit 'perKind' results scored by F1). */
export async function votingByCv(r: SearchResult, X: Matrix, y: Float64Array, posLabel: number): Promise<VotingChoice> {
  const ranked = Object.values(r.bestByKind!).map((b) => b.trial).sort((a, b) => b.meanScore - a.meanScore);
  const oofs: Float64Array[] = [];
  for (const t of ranked.slice(0, 3)) oofs.push(await outOfFold(t, r, X, y, posLabel));
  const other = Array.from(new Set(y)).find((c) => c !== posLabel)!;
  const out: VotingChoice = { tried: [] };
  for (const k of [2, 3]) {
    if (ranked.length < k) break;
    const scores = r.folds.map((f) => {
      const pred = Float64Array.from(f.test, (i) => {
        let p = 0;
        for (let m = 0; m < k; m++) p += oofs[m]![i]! / k;
        return p > 1 - p ? posLabel : other;
      });
      return f1Score(takeValues(y, f.test), pred, posLabel);
    });
    const cvF1 = scores.reduce((a, b) => a + b, 0) / scores.length;
    const members = ranked.slice(0, k).map((t) => t.kind);
    out.tried.push({ members, cvF1 });
    if (cvF1 > r.best.meanScore && (out.chosen === undefined || cvF1 > out.chosen.cvF1)) out.chosen = { members, cvF1 };
  }
  return out;
}
