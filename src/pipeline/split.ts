/**
 * Leakage-aware train/test split. This data set is half duplicates: under a random split about 65% of
 * test rows have an identical feature vector in train, inflating scores. Here every group of identical
 * feature vectors lands on one side. Groups are drawn in a seeded random order per class (by the
 * group's majority label) until each class's test quota is met, so the test side is a fair sample of
 * the groups — not biased toward large or small ones — and both sides keep the class balance.
 */
import type { Matrix } from '../core/matrix.js';
import { Rng } from '../core/rng.js';
import { featureVectorGroups } from '../ml/model-selection/index.js';

export interface SplitResult {
  train: Uint32Array;
  test: Uint32Array;
}

export function leakageAwareSplit(X: Matrix, y: Float64Array, testSize: number, seed: number): SplitResult {
  const groups = featureVectorGroups(X);
  const nGroups = groups.reduce((m, g) => Math.max(m, g + 1), 0);
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
  return { train: Uint32Array.from(train), test: Uint32Array.from(test) };
}

