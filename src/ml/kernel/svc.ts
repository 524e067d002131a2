/**
 * Support vector classifier (binary C-SVC) with linear or RBF kernel, trained by SMO (./smo.ts) and
 * turned into probabilities by Platt scaling (./platt.ts). As in scikit-learn, the sigmoid is fitted on
 * out-of-fold decision values when `plattFolds` >= 2 (stratified folds, seeded by `randomState`); the default 0
 * fits it on the training decision values instead (one SMO run instead of plattFolds + 1; more confident). `predict` follows
 * `predictProba`, so it can differ from the sign of the decision function on a few borderline rows.
 *
 * @example
 *   const svc = await svcFactory.create({ kernel: 'rbf', C: 1 }).fit(X, y); svc.predictProba(Xtest);
 */
import { NsError } from '../../core/errors.js';
import { takeRows, type Matrix } from '../../core/matrix.js';
import { Rng } from '../../core/rng.js';
import type { ClassifierFactory, FitOptions, ModelState } from '../estimator.js';
import { binaryProba, classWeightsToSample, isClassWeight, ProbabilisticClassifier, type EncodedState, type LearnedBase, type SampledFitParams } from '../linear/base.js';
import { checkCols, checkFinite, checkParam, checkXy } from '../preprocessing/validation.js';
import { kernelExpansion, type KernelName, type KernelSpec } from './kernels.js';
import { plattFit, plattProbability } from './platt.js';
import { smoSolve } from './smo.js';

export interface SVCParams extends SampledFitParams {
  C: number;
  kernel: KernelName;
  /** RBF width: 'scale' = 1 / (features x variance of X), 'auto' = 1 / features, or a number. */
  gamma: 'scale' | 'auto' | number;
  /** Stopping tolerance of SMO (libsvm's eps). */
  tol: number;
  /** SMO iterations at most (-1 = no limit). */
  maxIter: number;
  /** Kernel row cache size in MB. */
  cacheSize: number;
  classWeight: 'balanced' | Record<string, number> | null;
  /** Folds for the out-of-fold decision values Platt scaling is fitted on (0 = in-sample). */
  plattFolds: number;
  randomState: number;
}

export const svcDefaults: SVCParams = {
  C: 1, kernel: 'rbf', gamma: 'scale', tol: 1e-3, maxIter: -1, cacheSize: 100, classWeight: null, plattFolds: 0, randomState: 0,
};

interface SVCState extends LearnedBase {
  gamma: number;
  /** Support vectors, nSV x nFeatures row-major, and their alpha_i * y_i. */
  supportVectors: Float64Array;
  dualCoef: Float64Array;
  rho: number;
  plattA: number;
  plattB: number;
  /** For the linear kernel: w = sum dualCoef_i x_i (faster prediction). */
  coef: Float64Array;
}

interface DualModel {
  sv: Float64Array;
  dual: Float64Array;
  rho: number;
  coef: Float64Array;
  /** Decision value of each training row passed to solve (from the final gradient, no extra kernel work). */
  trainDecision: Float64Array;
}

export class SVC extends ProbabilisticClassifier<SVCParams, SVCState> {
  readonly kind = 'svc';

  protected train(X: Matrix, y: Float64Array, options: FitOptions): SVCState {
    const p = this.params;
    checkParam(typeof p.C === 'number' && p.C > 0 && Number.isFinite(p.C), this.kind, 'C', 'a positive finite number', p.C);
    checkParam(p.kernel === 'rbf' || p.kernel === 'linear', this.kind, 'kernel', "'rbf' or 'linear'", p.kernel);
    checkParam(p.gamma === 'scale' || p.gamma === 'auto' || (typeof p.gamma === 'number' && p.gamma > 0), this.kind, 'gamma', "'scale', 'auto' or a positive number", p.gamma);
    checkParam(typeof p.tol === 'number' && p.tol > 0, this.kind, 'tol', 'a positive number', p.tol);
    checkParam(Number.isInteger(p.maxIter) && (p.maxIter === -1 || p.maxIter > 0), this.kind, 'maxIter', '-1 or a positive integer', p.maxIter);
    checkParam(typeof p.cacheSize === 'number' && p.cacheSize > 0, this.kind, 'cacheSize', 'a positive number of MB', p.cacheSize);
    checkParam(isClassWeight(p.classWeight), this.kind, 'classWeight', "null, 'balanced' or a label -> weight object", p.classWeight);
    checkParam(Number.isInteger(p.plattFolds) && (p.plattFolds === 0 || p.plattFolds >= 2), this.kind, 'plattFolds', '0 or an integer >= 2', p.plattFolds);
    checkParam(Number.isInteger(p.randomState), this.kind, 'randomState', 'an integer', p.randomState);
    const { classes, yIndex } = checkXy(X, y, this.kind, { sampleWeight: options.sampleWeight });
    if (classes.length !== 2) {
      throw new NsError('UNSUPPORTED_CLASSES', `${this.kind} supports two classes, got ${classes.length}.`, { hint: 'Use knn or naive_bayes for more than two classes.' });
    }
    const gamma = resolveGamma(p.gamma, X);
    const spec: KernelSpec = { kernel: p.kernel, gamma };
    const Cb = classWeightsToSample(p.classWeight, classes, yIndex, options.sampleWeight);
    for (let i = 0; i < Cb.length; i++) Cb[i]! *= p.C;
    const n = X.rows;
    const d = X.cols;
    const all = new Int32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    const model = this.solve(X, yIndex, Cb, all, spec, options.signal);
    options.onProgress?.(p.plattFolds === 0 ? 0.9 : 0.5);
    // Decision values for Platt scaling: out-of-fold (like libsvm's internal CV) or in-sample.
    const f = new Float64Array(n);
    if (p.plattFolds === 0) {
      f.set(model.trainDecision);
    } else {
      const fold = stratifiedFoldIds(yIndex, p.plattFolds, new Rng(p.randomState));
      for (let k = 0; k < p.plattFolds; k++) {
        const trainIdx: number[] = [];
        const testIdx: number[] = [];
        for (let i = 0; i < n; i++) (fold[i] === k ? testIdx : trainIdx).push(i);
        const sub = this.solve(X, yIndex, Cb, Int32Array.from(trainIdx), spec, options.signal);
        const held = takeRows(X, testIdx);
        const fh = decisionValues(sub, spec, held);
        testIdx.forEach((i, r) => (f[i] = fh[r]!));
        options.onProgress?.(0.5 + (0.5 * (k + 1)) / p.plattFolds);
      }
    }
    const pos = new Uint8Array(n);
    for (let i = 0; i < n; i++) pos[i] = yIndex[i]!;
    const { A, B } = plattFit(f, pos);
    return { classes, nFeatures: d, gamma, supportVectors: model.sv, dualCoef: model.dual, rho: model.rho, plattA: A, plattB: B, coef: model.coef };
  }

  private solve(X: Matrix, yIndex: Int32Array, Cb: Float64Array, rows: Int32Array, spec: KernelSpec, signal?: AbortSignal): DualModel {
    const d = X.cols;
    // Identical rows with the same label are one point with the summed bound C_i + C_j: the dual
    // has the same optimum and the problem shrinks (the bundled data is about 45% duplicates).
    const slot = new Map<string, number>();
    const first: number[] = [];
    const bound: number[] = [];
    for (const i of rows) {
      const key = `${yIndex[i]}|${X.data.subarray(i * d, (i + 1) * d).join(',')}`;
      const k = slot.get(key);
      if (k === undefined) {
        slot.set(key, first.length);
        first.push(i);
        bound.push(Cb[i]!);
      } else {
        bound[k]! += Cb[i]!;
      }
    }
    const m = first.length;
    const sub = new Float64Array(m * d);
    const ys = new Int8Array(m);
    const cs = Float64Array.from(bound);
    for (let k = 0; k < m; k++) {
      const i = first[k]!;
      sub.set(X.data.subarray(i * d, (i + 1) * d), k * d);
      ys[k] = yIndex[i] === 1 ? 1 : -1;
    }
    if (!ys.includes(1) || !ys.includes(-1)) {
      throw new NsError('SINGLE_CLASS', `${this.kind}: a Platt-scaling fold holds one class only.`, { hint: 'Use fewer plattFolds or more data.' });
    }
    // libsvm's cap when unlimited: max(10^7, 100 n) iterations, so a degenerate problem cannot spin forever.
    const maxIter = this.params.maxIter === -1 ? Math.max(10_000_000, 100 * m) : this.params.maxIter;
    const { alpha, G, rho } = smoSolve(sub, m, d, ys, cs, spec, this.params.tol, maxIter, this.params.cacheSize, signal);
    let nSV = 0;
    for (let k = 0; k < m; k++) if (alpha[k]! > 0) nSV++;
    const sv = new Float64Array(nSV * d);
    const dual = new Float64Array(nSV);
    const coef = new Float64Array(d);
    let s = 0;
    for (let k = 0; k < m; k++) {
      if (alpha[k]! <= 0) continue;
      sv.set(sub.subarray(k * d, (k + 1) * d), s * d);
      dual[s] = alpha[k]! * ys[k]!;
      for (let j = 0; j < d; j++) coef[j]! += dual[s]! * sub[k * d + j]!;
      s++;
    }
    const trainDecision = new Float64Array(rows.length);
    rows.forEach((i, r) => {
      const k = slot.get(`${yIndex[i]}|${X.data.subarray(i * d, (i + 1) * d).join(',')}`)!;
      trainDecision[r] = ys[k]! * (G[k]! + 1) - rho;
    });
    return { sv, dual, rho, coef, trainDecision };
  }

  /** Signed distance to the margin per row; positive means classes[1]. */
  decisionFunction(X: Matrix): Float64Array {
    const s = this.state();
    checkCols(X, s.nFeatures, this.kind);
    checkFinite(X, this.kind);
    return decisions(s, this.params.kernel, X);
  }

  /** Number of support vectors of the final model. */
  supportCount(): number {
    return this.state().dualCoef.length;
  }

  protected proba(s: SVCState, X: Matrix): Matrix {
    const f = decisions(s, this.params.kernel, X);
    for (let i = 0; i < f.length; i++) f[i] = plattProbability(f[i]!, s.plattA, s.plattB);
    return binaryProba(f);
  }

  protected encode(s: SVCState): EncodedState {
    return {
      json: { nFeatures: s.nFeatures, gamma: s.gamma, rho: s.rho, plattA: s.plattA, plattB: s.plattB },
      arrays: { classes: s.classes, supportVectors: s.supportVectors, dualCoef: s.dualCoef, coef: s.coef },
    };
  }

  protected create(params: SVCParams): SVC {
    return new SVC(params);
  }
}

function resolveGamma(gamma: SVCParams['gamma'], X: Matrix): number {
  if (typeof gamma === 'number') return gamma;
  if (gamma === 'auto') return 1 / X.cols;
  let mean = 0;
  for (let i = 0; i < X.data.length; i++) mean += X.data[i]!;
  mean /= X.data.length;
  let v = 0;
  for (let i = 0; i < X.data.length; i++) v += (X.data[i]! - mean) ** 2;
  v /= X.data.length;
  return v > 0 ? 1 / (X.cols * v) : 1;
}

function decisionValues(m: Pick<DualModel, 'sv' | 'dual' | 'rho' | 'coef'>, spec: KernelSpec, X: Matrix): Float64Array {
  const d = X.cols;
  if (spec.kernel === 'linear') {
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let acc = -m.rho;
      for (let j = 0; j < d; j++) acc += m.coef[j]! * X.data[i * d + j]!;
      out[i] = acc;
    }
    return out;
  }
  const out = kernelExpansion(spec, m.sv, m.dual, X.data, X.rows, d);
  for (let i = 0; i < out.length; i++) out[i]! -= m.rho;
  return out;
}

function decisions(s: SVCState, kernel: KernelName, X: Matrix): Float64Array {
  return decisionValues({ sv: s.supportVectors, dual: s.dualCoef, rho: s.rho, coef: s.coef }, { kernel, gamma: s.gamma }, X);
}

/** Fold id per row, each class dealt round-robin over the folds after a seeded shuffle. */
function stratifiedFoldIds(yIndex: Int32Array, k: number, rng: Rng): Int32Array {
  const order = new Int32Array(yIndex.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  rng.shuffle(order);
  const fold = new Int32Array(yIndex.length);
  const next = [0, 0];
  for (const i of order) {
    const c = yIndex[i]!;
    fold[i] = next[c]! % k;
    next[c]!++;
  }
  return fold;
}

/** Factory for the catalog (kind 'svc'). */
export const svcFactory: ClassifierFactory<SVCParams> = {
  kind: 'svc',
  create: (params = {}) => new SVC({ ...svcDefaults, ...params }),
  fromState: (state: ModelState) => {
    const j = state.json as { nFeatures: number; gamma: number; rho: number; plattA: number; plattB: number };
    return new SVC({ ...svcDefaults, ...(state.params as Partial<SVCParams>) }).restore({
      classes: state.arrays.classes as Float64Array,
      nFeatures: j.nFeatures,
      gamma: j.gamma,
      rho: j.rho,
      plattA: j.plattA,
      plattB: j.plattB,
      supportVectors: state.arrays.supportVectors as Float64Array,
      dualCoef: state.arrays.dualCoef as Float64Array,
      coef: state.arrays.coef as Float64Array,
    });
  },
};
