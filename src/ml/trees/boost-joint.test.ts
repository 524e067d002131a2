import { describe, expect, it } from 'vitest';
import { matrix } from '../../core/matrix.js';
import { Rng } from '../../core/rng.js';
import { addMarginals, codeSums, jointCodes, LARGE_SET_VECTORS } from './boost-joint.js';
import { prepareBoosting } from './boost-prepared.js';
import { rowSums } from './boost-team.js';

/** Rows of 30 features: `values(f)` distinct values in feature f, value 0 with probability `zero`; random labels. */
function rows(n: number, values: (f: number) => number, zero: number, seed: number): { X: ReturnType<typeof matrix>; y: Float64Array } {
  const rng = new Rng(seed);
  const X = matrix(n, 30);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < 30; f++) X.data[i * 30 + f] = rng.next() < zero ? 0 : 1 + rng.int(values(f) - 1);
    y[i] = rng.int(2);
  }
  return { X, y };
}

/** The sparse and the joint histogram of the rows idx[0..m) (non-default bins; default bins zero). */
function bothHists(X: ReturnType<typeof matrix>, y: Float64Array, pick: number, seed: number): { sparse: Float64Array; joint: Float64Array; width: number } {
  const { data: d } = prepareBoosting(X, y);
  const jc = d.joint;
  if (jc === undefined) throw new Error('no joint codes');
  const rng = new Rng(seed);
  const gh = new Float64Array(2 * d.n);
  for (let u = 0; u < d.n; u++) {
    const p = rng.next();
    gh[2 * u] = p - rng.int(2);
    gh[2 * u + 1] = p * (1 - p);
  }
  const idx = Int32Array.from({ length: d.n }, (_, u) => u).filter(() => rng.next() < pick);
  const L = 2 * d.binOffset[d.nFeatures]!;
  const sparse = new Float64Array(L);
  rowSums(d.sparsePtr, d.sparseBins, idx, 0, idx.length, gh, sparse);
  const sums = new Float64Array(2 * jc.length);
  codeSums(jc.words, jc.width, idx, 0, idx.length, gh, sums);
  const joint = new Float64Array(L).fill(7);
  addMarginals(jc.margPtr, jc.margBins, sums, joint);
  return { sparse, joint, width: jc.width };
}

describe('joint codes (boosting passes on large sets)', () => {
  it('give the histogram of the sparse lists, to rounding: phishing-like features (2–3 values), 4 codes a vector', () => {
    const { X, y } = rows(LARGE_SET_VECTORS + 1000, (f) => (f % 4 === 0 ? 3 : 2), 0.6, 1);
    const { sparse, joint, width } = bothHists(X, y, 0.3, 2);
    expect(width).toBe(4);
    expect(sparse.some((v) => v !== 0)).toBe(true);
    for (let b = 0; b < sparse.length; b++) expect(joint[b]).toBeCloseTo(sparse[b]!, 9);
  });

  it('with more groups: 8 codes a vector (the unused ones a pad code that feeds no bin)', () => {
    const { X, y } = rows(LARGE_SET_VECTORS + 1000, () => 3, 0.34, 3);
    const { sparse, joint, width } = bothHists(X, y, 0.5, 4);
    expect(width).toBe(8);
    for (let b = 0; b < sparse.length; b++) expect(joint[b]).toBeCloseTo(sparse[b]!, 9);
  });

  it('are not made where they would not pay: many bins a feature, or small sets', () => {
    const many = rows(LARGE_SET_VECTORS + 1000, () => 40, 0.1, 5);
    expect(prepareBoosting(many.X, many.y).data.joint).toBeUndefined();
    const small = rows(5000, () => 2, 0.8, 6);
    expect(prepareBoosting(small.X, small.y).data.joint).toBeUndefined();
    // Called directly on the phishing-like set, they are made.
    const big = rows(LARGE_SET_VECTORS + 1000, () => 2, 0.8, 7);
    expect(jointCodes(prepareBoosting(big.X, big.y).data)?.width).toBe(4);
  });
});
