/**
 * Sequential minimal optimisation for the C-SVC dual, following libsvm's Solver (Fan, Chen & Lin 2005):
 *   min 0.5 a'Qa - e'a   s.t.  0 <= a_i <= C_i,  y'a = 0,   Q_ij = y_i y_j K(x_i, x_j)
 * with second-order working-set selection and libsvm's clipped two-variable update and rho estimate.
 * No shrinking: the data here is small enough that the kernel row cache dominates.
 */
import { KernelRowCache, type KernelSpec } from './kernels.js';

export interface SmoResult {
  alpha: Float64Array;
  /** Final gradient (Q alpha - 1): the training decision values are y_i (G_i + 1) - rho. */
  G: Float64Array;
  rho: number;
  iterations: number;
}

const TAU = 1e-12;

/**
 * Solves the dual for labels y in {-1, +1} and per-row upper bounds Cb. Stops when the maximal
 * violating pair's gap is below eps, or after maxIter iterations.
 */
export function smoSolve(
  X: Float64Array,
  n: number,
  d: number,
  y: Int8Array,
  Cb: Float64Array,
  spec: KernelSpec,
  eps: number,
  maxIter: number,
  cacheMb: number,
  signal?: AbortSignal,
): SmoResult {
  const cache = new KernelRowCache(spec, X, n, d, cacheMb);
  const alpha = new Float64Array(n);
  const G = new Float64Array(n).fill(-1);
  const QD = new Float64Array(n);
  for (let i = 0; i < n; i++) QD[i] = spec.kernel === 'rbf' ? 1 : selfDot(X, i, d);
  let iter = 0;
  for (; iter < maxIter; iter++) {
    if ((iter & 1023) === 0) signal?.throwIfAborted();
    // Select i: the maximal violator.
    let Gmax = -Infinity;
    let i = -1;
    for (let t = 0; t < n; t++) {
      if (y[t] === 1) {
        if (alpha[t]! < Cb[t]! && -G[t]! >= Gmax) {
          Gmax = -G[t]!;
          i = t;
        }
      } else if (alpha[t]! > 0 && G[t]! >= Gmax) {
        Gmax = G[t]!;
        i = t;
      }
    }
    if (i < 0) break;
    const Ki = cache.row(i);
    const yi = y[i]!;
    // Select j by the second-order gain. libsvm's quad_coef QD_i + QD_t -+ 2 y_i Q_it is, with
    // Q_it = y_i y_t K_it, always K_ii + K_tt - 2 K_it (the squared feature-space distance).
    let Gmax2 = -Infinity;
    let j = -1;
    let objMin = Infinity;
    for (let t = 0; t < n; t++) {
      if (y[t] === 1) {
        if (alpha[t]! > 0) {
          const gd = Gmax + G[t]!;
          if (G[t]! >= Gmax2) Gmax2 = G[t]!;
          if (gd > 0) {
            const qc = QD[i]! + QD[t]! - 2 * Ki[t]!;
            const obj = -(gd * gd) / (qc > 0 ? qc : TAU);
            if (obj <= objMin) {
              objMin = obj;
              j = t;
            }
          }
        }
      } else if (alpha[t]! < Cb[t]!) {
        const gd = Gmax - G[t]!;
        if (-G[t]! >= Gmax2) Gmax2 = -G[t]!;
        if (gd > 0) {
          const qc = QD[i]! + QD[t]! - 2 * Ki[t]!;
          const obj = -(gd * gd) / (qc > 0 ? qc : TAU);
          if (obj <= objMin) {
            objMin = obj;
            j = t;
          }
        }
      }
    }
    if (Gmax + Gmax2 < eps || j < 0) break;
    const yj = y[j]!;
    const Kij = Ki[j]!;
    const Ci = Cb[i]!;
    const Cj = Cb[j]!;
    const oldAi = alpha[i]!;
    const oldAj = alpha[j]!;
    let ai = oldAi;
    let aj = oldAj;
    if (yi !== yj) {
      let qc = QD[i]! + QD[j]! - 2 * Kij;
      if (qc <= 0) qc = TAU;
      const delta = (-G[i]! - G[j]!) / qc;
      const diff = ai - aj;
      ai += delta;
      aj += delta;
      if (diff > 0) {
        if (aj < 0) {
          aj = 0;
          ai = diff;
        }
      } else if (ai < 0) {
        ai = 0;
        aj = -diff;
      }
      if (diff > Ci - Cj) {
        if (ai > Ci) {
          ai = Ci;
          aj = Ci - diff;
        }
      } else if (aj > Cj) {
        aj = Cj;
        ai = Cj + diff;
      }
    } else {
      let qc = QD[i]! + QD[j]! - 2 * Kij;
      if (qc <= 0) qc = TAU;
      const delta = (G[i]! - G[j]!) / qc;
      const sum = ai + aj;
      ai -= delta;
      aj += delta;
      if (sum > Ci) {
        if (ai > Ci) {
          ai = Ci;
          aj = sum - Ci;
        }
      } else if (aj < 0) {
        aj = 0;
        ai = sum;
      }
      if (sum > Cj) {
        if (aj > Cj) {
          aj = Cj;
          ai = sum - Cj;
        }
      } else if (ai < 0) {
        ai = 0;
        aj = sum;
      }
    }
    alpha[i] = ai;
    alpha[j] = aj;
    // G_t += Q_ti dAi + Q_tj dAj, with Q_ti = y_t y_i K_ti.
    const di = (ai - oldAi) * yi;
    const dj = (aj - oldAj) * yj;
    const Kj = cache.row(j);
    const KiAgain = cache.row(i);
    for (let t = 0; t < n; t++) G[t]! += y[t]! * (KiAgain[t]! * di + Kj[t]! * dj);
  }
  return { alpha, G, rho: computeRho(alpha, G, y, Cb), iterations: iter };
}

function selfDot(X: Float64Array, i: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += X[i * d + j]! * X[i * d + j]!;
  return s;
}

/** libsvm's rho: the mean of y_i G_i over free vectors, else the middle of the feasible interval. */
function computeRho(alpha: Float64Array, G: Float64Array, y: Int8Array, Cb: Float64Array): number {
  let ub = Infinity;
  let lb = -Infinity;
  let nFree = 0;
  let sumFree = 0;
  for (let i = 0; i < alpha.length; i++) {
    const yG = y[i]! * G[i]!;
    if (alpha[i]! >= Cb[i]!) {
      if (y[i] === -1) ub = Math.min(ub, yG);
      else lb = Math.max(lb, yG);
    } else if (alpha[i]! <= 0) {
      if (y[i] === 1) ub = Math.min(ub, yG);
      else lb = Math.max(lb, yG);
    } else {
      nFree++;
      sumFree += yG;
    }
  }
  return nFree > 0 ? sumFree / nFree : (ub + lb) / 2;
}
