/**
 * Platt scaling: fits P(y = +1 | f) = 1 / (1 + exp(A f + B)) to decision values f, with Platt's
 * smoothed targets and the Newton method with backtracking of Lin, Lin & Weng (2007) — libsvm's
 * `sigmoid_train`.
 */

/** Fits the sigmoid to decision values `f` and labels `pos` (1 = positive class). */
export function plattFit(f: Float64Array, pos: Uint8Array): { A: number; B: number } {
  const n = f.length;
  let prior1 = 0;
  for (let i = 0; i < n; i++) prior1 += pos[i]!;
  const prior0 = n - prior1;
  const hi = (prior1 + 1) / (prior1 + 2);
  const lo = 1 / (prior0 + 2);
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) t[i] = pos[i] ? hi : lo;
  let A = 0;
  let B = Math.log((prior0 + 1) / (prior1 + 1));
  const objective = (a: number, b: number): number => {
    let v = 0;
    for (let i = 0; i < n; i++) {
      const z = f[i]! * a + b;
      v += z >= 0 ? t[i]! * z + Math.log1p(Math.exp(-z)) : (t[i]! - 1) * z + Math.log1p(Math.exp(z));
    }
    return v;
  };
  let fval = objective(A, B);
  for (let iter = 0; iter < 100; iter++) {
    let h11 = 1e-12;
    let h22 = 1e-12;
    let h21 = 0;
    let g1 = 0;
    let g2 = 0;
    for (let i = 0; i < n; i++) {
      const z = f[i]! * A + B;
      let p: number;
      let q: number;
      if (z >= 0) {
        const e = Math.exp(-z);
        p = e / (1 + e);
        q = 1 / (1 + e);
      } else {
        const e = Math.exp(z);
        p = 1 / (1 + e);
        q = e / (1 + e);
      }
      const d2 = p * q;
      h11 += f[i]! * f[i]! * d2;
      h22 += d2;
      h21 += f[i]! * d2;
      const d1 = t[i]! - p;
      g1 += f[i]! * d1;
      g2 += d1;
    }
    if (Math.abs(g1) < 1e-5 && Math.abs(g2) < 1e-5) break;
    const det = h11 * h22 - h21 * h21;
    const dA = -(h22 * g1 - h21 * g2) / det;
    const dB = -(-h21 * g1 + h11 * g2) / det;
    const gd = g1 * dA + g2 * dB;
    let step = 1;
    while (step >= 1e-10) {
      const nA = A + step * dA;
      const nB = B + step * dB;
      const nf = objective(nA, nB);
      if (nf < fval + 1e-4 * step * gd) {
        A = nA;
        B = nB;
        fval = nf;
        break;
      }
      step /= 2;
    }
    if (step < 1e-10) break;
  }
  return { A, B };
}

/** P(positive) for decision value f under the fitted sigmoid. */
export function plattProbability(f: number, A: number, B: number): number {
  const z = f * A + B;
  return z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
}
