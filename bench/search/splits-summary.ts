/**
 * The repeated-splits row of the search bench: per split, our boosting setting, our fixed vote, the models
 * chosen by the train stage's rule on that split's training part (with `train`'s folds and with folds
 * drawn like the test split, repeated.ts), and the XGBoost twin, with mean / median / min / max over the
 * 21 splits and where the original split ranks; each CV-chosen mean against the target (≥ 0.975 and ≥
 * the twin's mean).
 */
import type { CvChoice } from './repeated.js';

interface Row { seed: number; boosting: number; vote?: number; trainFolds?: CvChoice; splitFolds?: CvChoice; contradicted?: number; testChecksum?: number }

const round = (x: number): number => Math.round(x * 1e4) / 1e4;

function stats(xs: number[], original: number): Record<string, number> {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return {
    mean: round(xs.reduce((a, b) => a + b, 0) / xs.length), median: round(s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2),
    min: round(s[0]!), max: round(s[s.length - 1]!), original: round(original),
    // 1 = the lowest of all splits
    originalRankFromBottom: s.filter((x) => x < original).length + 1,
  };
}

/** Two-sided 97.5% quantile of Student's t with 20 degrees of freedom (21 splits). */
const T_975_20 = 2.086;

/**
 * Ours minus the twin split by split (the same test rows on both sides): the mean difference, its
 * standard error over the splits, a 95% t interval (for 21 splits) and how many splits each side won.
 * A target "mean ≥ the twin's" that the interval straddles is a coin toss between runs of the rule, not a
 * difference between the models.
 */
function pairedVsTwin(ours: number[], twin: number[]): Record<string, number> {
  const d = ours.map((x, i) => x - twin[i]!);
  const n = d.length;
  const mean = d.reduce((a, b) => a + b, 0) / n;
  const se = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) / n);
  const r5 = (x: number): number => Math.round(x * 1e5) / 1e5;
  return {
    meanDifference: r5(mean), standardError: r5(se),
    ...(n === 21 ? { low95: r5(mean - T_975_20 * se), high95: r5(mean + T_975_20 * se) } : {}),
    splitsAhead: d.filter((x) => x > 0).length, splitsBehind: d.filter((x) => x < 0).length, splitsTied: d.filter((x) => x === 0).length,
  };
}

/** How many splits chose each model (kind, or the vote's members in name order). */
function countChosen(cs: CvChoice[]): Record<string, number> {
  const n: Record<string, number> = {};
  for (const c of cs) {
    const vote = c.model.startsWith('soft vote of ') ? c.model.slice('soft vote of '.length).split(' + ').sort().join(' + ') : undefined;
    const k = vote !== undefined ? `soft vote of ${vote}` : c.model.split(' {')[0]!;
    n[k] = (n[k] ?? 0) + 1;
  }
  return n;
}

function rows(o: Record<string, unknown> | undefined): Row[] | undefined {
  return o && !('error' in o) && Array.isArray(o.splits) ? (o.splits as Row[]) : undefined;
}

const FOLDS = {
  trainFolds: "`train`'s own folds: leakage-aware 3-fold (feature-vector groups, seed 42), scored by phishing F1 (Result = -1)",
  splitFolds: 'folds drawn like the test split: stratified 3-fold (seed 0, identical rows may fall on both sides), scored by F1 with Result = 1 positive',
} as const;

/** One CV-chosen column: the chosen models' test F1, their best single families', and the target. */
function choiceColumn(o: Row[], key: keyof typeof FOLDS, twin: Row[] | undefined): Record<string, unknown> {
  const twinMean = twin && twin.reduce((a, r) => a + r.boosting, 0) / twin.length;
  const cs = o.map((r) => r[key]!);
  const chosen = stats(cs.map((c) => c.test), cs[0]!.test);
  return {
    ...chosen,
    selection: `per split, on its training part only, the train stage's rule (softVoteTopK): every setting of the original five grids and the three fixed settings cross-validated, each family's best refit, the soft vote of the top 2 or 3 families by CV on out-of-fold probabilities taken when it beats the best single family's CV F1; ${FOLDS[key]}; the test part scores the result by F1 with Result = 1 positive`,
    chosenKinds: countChosen(cs),
    bestSingleFamily: stats(cs.map((c) => c.single), cs[0]!.single),
    target: 'mean >= 0.975 and >= the XGBoost twin mean', met: chosen.mean! >= 0.975 && twinMean !== undefined && round(chosen.mean!) >= round(twinMean),
    ...(twin && twin.length === cs.length ? { vsTwin: pairedVsTwin(cs.map((c) => c.test), twin.map((r) => r.boosting)) } : {}),
  };
}

/** Summary of ours.ts `splits` and peer_repeated.py outputs (the first split of each is the original, 42). */
export function summariseSplits(ours: Record<string, unknown>, peer: Record<string, unknown> | undefined): Record<string, unknown> {
  const o = rows(ours);
  if (!o) return { error: typeof ours.error === 'string' ? ours.error : 'ours.ts splits printed no splits' };
  const p = rows(peer);
  const col = (r: Row[], k: 'boosting' | 'vote' | 'contradicted'): number[] => r.map((x) => x[k] ?? NaN);
  const others = col(o, 'contradicted').slice(1).sort((a, b) => a - b);
  const twin = p ? stats(col(p, 'boosting'), p[0]!.boosting) : undefined;
  const r4 = (c: CvChoice): CvChoice => ({ ...c, test: round(c.test), cvF1: round(c.cvF1), single: round(c.single) });
  return {
    splits: 'train_test_split(test_size=0.2) with random_state 42 (the original split) and 0..19',
    splitsMatchPeer: p ? p.length === o.length && p.every((r, i) => r.testChecksum === o[i]!.testChecksum) : null,
    boosting: { ...stats(col(o, 'boosting'), o[0]!.boosting), ...(p && p.length === o.length ? { vsTwin: pairedVsTwin(col(o, 'boosting'), col(p, 'boosting')) } : {}) },
    vote: stats(col(o, 'vote'), o[0]!.vote!),
    cvChosenTrainFolds: choiceColumn(o, 'trainFolds', p),
    cvChosenSplitFolds: choiceColumn(o, 'splitFolds', p),
    xgboostTwin: twin ?? (peer?.error ?? null),
    contradictedTestRows: { original: o[0]!.contradicted, medianOfOthers: others[others.length >> 1], maxOfOthers: others[others.length - 1] },
    perSplit: o.map(({ testChecksum: _c, ...r }, i) => ({
      ...r, boosting: round(r.boosting), vote: round(r.vote!), trainFolds: r4(r.trainFolds!), splitFolds: r4(r.splitFolds!), xgboost: p?.[i] ? round(p[i].boosting) : null,
    })),
  };
}
