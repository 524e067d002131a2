/**
 * Small dense linear algebra for the Newton solver: Cholesky factorisation and solve of a symmetric
 * positive-definite system held row-major in a Float64Array. Sizes here are features + 1 (about 31),
 * so a plain O(d^3) loop is the fastest thing to do.
 */

/**
 * Solves A x = b in place of a copy of A (A symmetric positive definite, d x d row-major).
 * Returns undefined when A is not positive definite (the caller adds a ridge and retries).
 */
export function choleskySolve(A: Float64Array, b: Float64Array, d: number): Float64Array | undefined {
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * d + j]!;
      for (let k = 0; k < j; k++) s -= L[i * d + k]! * L[j * d + k]!;
      if (i === j) {
        if (!(s > 0)) return undefined;
        L[i * d + i] = Math.sqrt(s);
      } else {
        L[i * d + j] = s / L[j * d + j]!;
      }
    }
  }
  const z = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i * d + k]! * z[k]!;
    z[i] = s / L[i * d + i]!;
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < d; k++) s -= L[k * d + i]! * x[k]!;
    x[i] = s / L[i * d + i]!;
  }
  return x;
}
