/** Small synthetic data sets with known answers for the tree tests. */
import type { Matrix } from '../../core/matrix.js';
import { matrix } from '../../core/matrix.js';
import { Rng } from '../../core/rng.js';

/** y = 1 exactly when feature 2 is positive; features 0, 1, 3 are noise in {-1, 0, 1}. */
export function oneInformativeFeature(rows: number, seed: number): { X: Matrix; y: Float64Array } {
  const rng = new Rng(seed);
  const X = matrix(rows, 4);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let f = 0; f < 4; f++) X.data[i * 4 + f] = rng.int(3) - 1;
    y[i] = X.data[i * 4 + 2]! > 0 ? 1 : -1;
  }
  return { X, y };
}

/** XOR of the signs of two real-valued features (needs depth 2). */
export function xor(rows: number, seed: number): { X: Matrix; y: Float64Array } {
  const rng = new Rng(seed);
  const X = matrix(rows, 2);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const a = rng.next() * 2 - 1;
    const b = rng.next() * 2 - 1;
    X.data[2 * i] = a;
    X.data[2 * i + 1] = b;
    y[i] = a > 0 !== b > 0 ? 1 : 0;
  }
  return { X, y };
}
