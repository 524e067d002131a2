/**
 * The repeated-splits row of the search bench: per split, our boosting setting, our fixed vote, the model
 * chosen by CV on that split's training part, and the XGBoost twin, with mean / median / min / max over
 * the 21 splits and where the original split ranks; the CV-chosen mean against its target (≥ 0.975 and ≥
 * the twin's mean).
 */
interface Row { seed: number; boosting: number; vote?: number; cvChosen?: number; cvChosenModel?: string; contradicted?: number; testChecksum?: number }

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

function rows(o: Record<string, unknown> | undefined): Row[] | undefined {
  return o && !('error' in o) && Array.isArray(o.splits) ? (o.splits as Row[]) : undefined;
}

/** Summary of ours.ts `splits` and peer_repeated.py outputs (the first split of each is the original, 42). */
export function summariseSplits(ours: Record<string, unknown>, peer: Record<string, unknown> | undefined): Record<string, unknown> {
  const o = rows(ours);
  if (!o) return { error: typeof ours.error === 'string' ? ours.error : 'ours.ts splits printed no splits' };
  const p = rows(peer);
  const col = (r: Row[], k: 'boosting' | 'vote' | 'cvChosen' | 'contradicted'): number[] => r.map((x) => x[k] ?? NaN);
  const others = col(o, 'contradicted').slice(1).sort((a, b) => a - b);
  const cvChosen = stats(col(o, 'cvChosen'), o[0]!.cvChosen!);
  const twin = p ? stats(col(p, 'boosting'), p[0]!.boosting) : undefined;
  return {
    splits: 'train_test_split(test_size=0.2) with random_state 42 (the original split) and 0..19',
    splitsMatchPeer: p ? p.length === o.length && p.every((r, i) => r.testChecksum === o[i]!.testChecksum) : null,
    boosting: stats(col(o, 'boosting'), o[0]!.boosting),
    vote: stats(col(o, 'vote'), o[0]!.vote!),
    cvChosen: {
      ...cvChosen, selection: 'per split: best mean 3-fold CV F1 (Result = 1) on its training part over the original five grids and the three fixed settings',
      target: 'mean >= 0.975 and >= the XGBoost twin mean', met: cvChosen.mean! >= 0.975 && twin !== undefined && cvChosen.mean! >= twin.mean!,
    },
    xgboostTwin: twin ?? (peer?.error ?? null),
    contradictedTestRows: { original: o[0]!.contradicted, medianOfOthers: others[others.length >> 1], maxOfOthers: others[others.length - 1] },
    perSplit: o.map(({ testChecksum: _c, ...r }, i) => ({ ...r, boosting: round(r.boosting), vote: round(r.vote!), cvChosen: round(r.cvChosen!), xgboost: p?.[i] ? round(p[i].boosting) : null })),
  };
}
