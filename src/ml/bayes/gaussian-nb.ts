/**
 * Gaussian naive Bayes, the baseline model, computed exactly as scikit-learn's GaussianNB: per-class
 * means and variances (plus varSmoothing x the largest feature variance), class priors from the
 * (weighted) class frequencies, probabilities from the joint log-likelihood through log-sum-exp.
 *
 * @example
 *   const nb = await gaussianNB.create().fit(X, y); nb.predictProba(Xtest);
 */
import { matrix, type Matrix } from '../../core/matrix.js';
import type { ClassifierFactory, FitOptions, ModelState } from '../estimator.js';
import { ProbabilisticClassifier, type EncodedState, type LearnedBase } from '../linear/base.js';
import { checkParam, checkXy } from '../preprocessing/validation.js';

export interface GaussianNBParams {
  /** Portion of the largest feature variance added to every variance, for stability. */
  varSmoothing: number;
  /** Class priors in the order of the sorted classes; null = learned from the data. */
  priors: number[] | null;
}

export const gaussianNBDefaults: GaussianNBParams = { varSmoothing: 1e-9, priors: null };

interface GaussianNBState extends LearnedBase {
  /** nClasses x nFeatures means and variances, row-major. */
  theta: Float64Array;
  variance: Float64Array;
  logPrior: Float64Array;
}

export class GaussianNB extends ProbabilisticClassifier<GaussianNBParams, GaussianNBState> {
  readonly kind = 'naive_bayes';

  protected train(X: Matrix, y: Float64Array, options: FitOptions): GaussianNBState {
    const p = this.params;
    checkParam(typeof p.varSmoothing === 'number' && p.varSmoothing >= 0, this.kind, 'varSmoothing', 'a non-negative number', p.varSmoothing);
    const { classes, yIndex } = checkXy(X, y, this.kind, { sampleWeight: options.sampleWeight });
    const K = classes.length;
    const d = X.cols;
    if (p.priors !== null) {
      const sum = Array.isArray(p.priors) ? p.priors.reduce((a, b) => a + b, 0) : NaN;
      checkParam(Array.isArray(p.priors) && p.priors.length === K && p.priors.every((v) => v >= 0) && Math.abs(sum - 1) < 1e-8,
        this.kind, 'priors', `null or ${K} non-negative numbers summing to 1`, p.priors);
    }
    const sw = options.sampleWeight;
    const weight = new Float64Array(K);
    const theta = new Float64Array(K * d);
    const variance = new Float64Array(K * d);
    for (let i = 0; i < X.rows; i++) {
      const k = yIndex[i]!;
      const wi = sw ? sw[i]! : 1;
      weight[k]! += wi;
      for (let j = 0; j < d; j++) theta[k * d + j]! += wi * X.data[i * d + j]!;
    }
    for (let k = 0; k < K; k++) for (let j = 0; j < d; j++) theta[k * d + j]! /= weight[k]!;
    for (let i = 0; i < X.rows; i++) {
      const k = yIndex[i]!;
      const wi = sw ? sw[i]! : 1;
      for (let j = 0; j < d; j++) {
        const diff = X.data[i * d + j]! - theta[k * d + j]!;
        variance[k * d + j]! += wi * diff * diff;
      }
    }
    for (let k = 0; k < K; k++) for (let j = 0; j < d; j++) variance[k * d + j]! /= weight[k]!;
    // epsilon = varSmoothing * max over features of the (unweighted) variance of X, as in scikit-learn.
    let maxVar = 0;
    for (let j = 0; j < d; j++) {
      let mean = 0;
      for (let i = 0; i < X.rows; i++) mean += X.data[i * d + j]!;
      mean /= X.rows;
      let v = 0;
      for (let i = 0; i < X.rows; i++) v += (X.data[i * d + j]! - mean) ** 2;
      maxVar = Math.max(maxVar, v / X.rows);
    }
    const eps = p.varSmoothing * maxVar;
    for (let t = 0; t < K * d; t++) variance[t]! += eps;
    let total = 0;
    for (let k = 0; k < K; k++) total += weight[k]!;
    const logPrior = new Float64Array(K);
    for (let k = 0; k < K; k++) logPrior[k] = Math.log(p.priors ? p.priors[k]! : weight[k]! / total);
    return { classes, nFeatures: d, theta, variance, logPrior };
  }

  protected proba(s: GaussianNBState, X: Matrix): Matrix {
    const K = s.classes.length;
    const d = X.cols;
    const out = matrix(X.rows, K);
    const norm = new Float64Array(K);
    for (let k = 0; k < K; k++) {
      let acc = 0;
      for (let j = 0; j < d; j++) acc += Math.log(2 * Math.PI * s.variance[k * d + j]!);
      norm[k] = s.logPrior[k]! - 0.5 * acc;
    }
    for (let i = 0; i < X.rows; i++) {
      let max = -Infinity;
      for (let k = 0; k < K; k++) {
        let acc = 0;
        for (let j = 0; j < d; j++) {
          const diff = X.data[i * d + j]! - s.theta[k * d + j]!;
          acc += (diff * diff) / s.variance[k * d + j]!;
        }
        const jll = norm[k]! - 0.5 * acc;
        out.data[i * K + k] = jll;
        if (jll > max) max = jll;
      }
      let sum = 0;
      for (let k = 0; k < K; k++) sum += Math.exp(out.data[i * K + k]! - max);
      const lse = max + Math.log(sum);
      for (let k = 0; k < K; k++) out.data[i * K + k] = Math.exp(out.data[i * K + k]! - lse);
    }
    return out;
  }

  protected encode(s: GaussianNBState): EncodedState {
    return { json: { nFeatures: s.nFeatures }, arrays: { classes: s.classes, theta: s.theta, variance: s.variance, logPrior: s.logPrior } };
  }

  protected create(params: GaussianNBParams): GaussianNB {
    return new GaussianNB(params);
  }
}

/** Factory for the catalog (kind 'naive_bayes'). */
export const gaussianNB: ClassifierFactory<GaussianNBParams> = {
  kind: 'naive_bayes',
  create: (params = {}) => new GaussianNB({ ...gaussianNBDefaults, ...params }),
  fromState: (state: ModelState) =>
    new GaussianNB({ ...gaussianNBDefaults, ...(state.params as Partial<GaussianNBParams>) }).restore({
      classes: state.arrays.classes as Float64Array,
      nFeatures: (state.json as { nFeatures: number }).nFeatures,
      theta: state.arrays.theta as Float64Array,
      variance: state.arrays.variance as Float64Array,
      logPrior: state.arrays.logPrior as Float64Array,
    }),
};
