/**
 * Cross-validation folds: StratifiedKFold (each class dealt evenly over the folds, optionally after a
 * seeded shuffle) and StratifiedGroupKFold (whole groups per fold, class shares kept as even as the
 * groups allow — greedy like scikit-learn's: larger groups first, each to the fold where the per-class
 * fold counts stay most even).
 *
 * @example
 *   for (const { train, test } of stratifiedKFold(y, 5, { seed: 0 })) { ... }
 *   stratifiedGroupKFold(y, featureVectorGroups(X), 3, { seed: 0 });
 */
import { NsError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { encodeLabels, groupClassCounts, type Split } from './split.js';

export interface KFoldOptions {
  /** Shuffle before dealing rows (or groups) to folds; default true. */
  shuffle?: boolean;
  seed?: number;
}

function checkK(k: number, n: number, what: string): void {
  if (!Number.isInteger(k) || k < 2 || k > n) {
    throw new NsError('BAD_PARAM', `Cross-validation needs an integer number of folds between 2 and ${n} ${what}, got ${k}.`, {
      kind: 'config',
      hint: 'Use e.g. 3 or 5 folds, and at least as many rows (groups) as folds.',
    });
  }
}

function foldsFromIds(foldOf: Int32Array, k: number): Split[] {
  const out: Split[] = [];
  for (let f = 0; f < k; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < foldOf.length; i++) (foldOf[i] === f ? test : train).push(i);
    out.push({ train: Int32Array.from(train), test: Int32Array.from(test) });
  }
  return out;
}

/** k stratified folds; every row is in exactly one test fold. */
export function stratifiedKFold(y: Float64Array, k: number, options: KFoldOptions = {}): Split[] {
  checkK(k, y.length, 'rows');
  const { yIndex, nClasses } = encodeLabels(y);
  const rng = new Rng(options.seed ?? 0);
  const foldOf = new Int32Array(y.length);
  let offset = 0;
  for (let c = 0; c < nClasses; c++) {
    const members: number[] = [];
    for (let i = 0; i < y.length; i++) if (yIndex[i] === c) members.push(i);
    if (options.shuffle !== false) rng.shuffle(members);
    // Continue the round-robin across classes so fold sizes differ by at most one.
    members.forEach((i, r) => (foldOf[i] = (offset + r) % k));
    offset = (offset + members.length) % k;
  }
  return foldsFromIds(foldOf, k);
}

/** k folds of whole groups, stratified by class as far as the groups allow. */
export function stratifiedGroupKFold(y: Float64Array, groups: Int32Array, k: number, options: KFoldOptions = {}): Split[] {
  const { yIndex, nClasses } = encodeLabels(y);
  const { ids, counts } = groupClassCounts(yIndex, nClasses, groups);
  checkK(k, ids.length, 'groups');
  if (options.shuffle !== false) new Rng(options.seed ?? 0).shuffle(ids);
  const size = (g: number): number => counts.get(g)!.reduce((a, b) => a + b, 0);
  ids.sort((a, b) => size(b) - size(a));
  const classTotal = new Float64Array(nClasses);
  for (let i = 0; i < yIndex.length; i++) classTotal[yIndex[i]!]! += 1;
  const foldCounts = Array.from({ length: k }, () => new Float64Array(nClasses));
  const foldSize = new Float64Array(k);
  const foldOfGroup = new Map<number, number>();
  for (const g of ids) {
    const c = counts.get(g)!;
    let best = 0;
    let bestCost = Infinity;
    for (let f = 0; f < k; f++) {
      // Spread (std over folds) of each class's share, summed over classes, if g went to fold f.
      let cost = 0;
      for (let cl = 0; cl < nClasses; cl++) {
        let mean = 0;
        for (let h = 0; h < k; h++) mean += (foldCounts[h]![cl]! + (h === f ? c[cl]! : 0)) / classTotal[cl]!;
        mean /= k;
        let v = 0;
        for (let h = 0; h < k; h++) v += ((foldCounts[h]![cl]! + (h === f ? c[cl]! : 0)) / classTotal[cl]! - mean) ** 2;
        cost += Math.sqrt(v / k);
      }
      if (cost < bestCost - 1e-12 || (Math.abs(cost - bestCost) <= 1e-12 && foldSize[f]! < foldSize[best]!)) {
        bestCost = cost;
        best = f;
      }
    }
    foldOfGroup.set(g, best);
    foldSize[best]! += size(g);
    for (let cl = 0; cl < nClasses; cl++) foldCounts[best]![cl]! += c[cl]!;
  }
  const foldOf = Int32Array.from(groups, (g) => foldOfGroup.get(g)!);
  return foldsFromIds(foldOf, k);
}
