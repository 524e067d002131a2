/**
 * Leakage-aware train/test split. This data set is half duplicates: under a random split about 65% of
 * test rows have an identical feature vector in train, inflating scores. Here every group of identical
 * feature vectors lands on one side, and groups are drawn per class (by the group's majority label)
 * so both sides keep the class balance.
 */
import type { Matrix } from '../core/matrix.js';
import { Rng } from '../core/rng.js';

/** Group id per row: rows with identical feature vectors share an id (0..nGroups-1, by first occurrence). */
export function featureVectorGroups(X: Matrix): { groups: Int32Array; nGroups: number } {
  const ids = new Map<string, number>();
  const groups = new Int32Array(X.rows);
  for (let i = 0; i < X.rows; i++) {
    const key = X.data.subarray(i * X.cols, (i + 1) * X.cols).join(',');
    let id = ids.get(key);
    if (id === undefined) {
      id = ids.size;
      ids.set(key, id);
    }
    groups[i] = id;
  }
  return { groups, nGroups: ids.size };
}

export function duplicateStats(X: Matrix, y: Float64Array): { distinctVectors: number; duplicateRows: number; conflictingLabels: number } {
  const { groups, nGroups } = featureVectorGroups(X);
  const firstLabel = new Float64Array(nGroups).fill(NaN);
  const conflict = new Uint8Array(nGroups);
  for (let i = 0; i < X.rows; i++) {
    const g = groups[i]!;
    if (Number.isNaN(firstLabel[g]!)) firstLabel[g] = y[i]!;
    else if (firstLabel[g] !== y[i]) conflict[g] = 1;
  }
  return { distinctVectors: nGroups, duplicateRows: X.rows - nGroups, conflictingLabels: conflict.reduce((a, b) => a + b, 0) };
}

export interface SplitResult {
  train: Uint32Array;
  test: Uint32Array;
  /** Feature-vector groups with rows on both sides (0 by construction). */
  groupsOnBothSides: number;
}

export function leakageAwareSplit(X: Matrix, y: Float64Array, testSize: number, seed: number): SplitResult {
  const { groups, nGroups } = featureVectorGroups(X);
  // Majority label per group decides its stratum.
  const votes = new Map<number, Float64Array>();
  const labels = [...new Set(y)].sort((a, b) => a - b);
  const labelIndex = new Map(labels.map((l, k) => [l, k]));
  for (let i = 0; i < X.rows; i++) {
    let v = votes.get(groups[i]!);
    if (!v) votes.set(groups[i]!, (v = new Float64Array(labels.length)));
    v[labelIndex.get(y[i]!)!]! += 1;
  }
  const size = new Float64Array(nGroups);
  for (let i = 0; i < X.rows; i++) size[groups[i]!]! += 1;
  const strata: number[][] = labels.map(() => []);
  for (let g = 0; g < nGroups; g++) {
    const v = votes.get(g)!;
    let best = 0;
    for (let k = 1; k < v.length; k++) if (v[k]! > v[best]!) best = k;
    strata[best]!.push(g);
  }
  const rng = new Rng(seed);
  const inTest = new Uint8Array(nGroups);
  for (const stratum of strata) {
    rng.shuffle(stratum);
    const rows = stratum.reduce((a, g) => a + size[g]!, 0);
    let taken = 0;
    for (const g of stratum) {
      if (taken >= testSize * rows) break;
      inTest[g] = 1;
      taken += size[g]!;
    }
  }
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < X.rows; i++) (inTest[groups[i]!] ? test : train).push(i);
  return { train: Uint32Array.from(train), test: Uint32Array.from(test), groupsOnBothSides: 0 };
}

/**
 * Stratified group k-fold: folds never split a group of identical feature vectors; each group goes to
 * the fold holding the fewest rows of its stratum so far (largest groups first), after a seeded shuffle.
 */
export function groupKFold(y: Float64Array, groups: Int32Array, k: number, seed: number): { train: Uint32Array; test: Uint32Array }[] {
  const nGroups = groups.reduce((m, g) => Math.max(m, g + 1), 0);
  const size = new Float64Array(nGroups);
  const legit = new Float64Array(nGroups);
  for (let i = 0; i < y.length; i++) {
    size[groups[i]!]! += 1;
    if (y[i]! > 0) legit[groups[i]!]! += 1;
  }
  const order = new Rng(seed).shuffle(Array.from({ length: nGroups }, (_, g) => g));
  order.sort((a, b) => size[b]! - size[a]!);
  const foldOf = new Int32Array(nGroups);
  const load = [0, 1].map(() => new Float64Array(k));
  for (const g of order) {
    const stratum = load[legit[g]! * 2 >= size[g]! ? 1 : 0]!;
    let f = 0;
    for (let j = 1; j < k; j++) if (stratum[j]! < stratum[f]!) f = j;
    foldOf[g] = f;
    stratum[f]! += size[g]!;
  }
  return Array.from({ length: k }, (_, f) => {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < y.length; i++) (foldOf[groups[i]!] === f ? test : train).push(i);
    return { train: Uint32Array.from(train), test: Uint32Array.from(test) };
  });
}
