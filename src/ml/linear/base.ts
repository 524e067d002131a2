/**
 * The common base of the non-tree classifiers (logistic regression, SVC, k-nearest neighbours, naive
 * Bayes). It owns what the contract in ../estimator.ts says every classifier does the same way:
 *
 *   ProbabilisticClassifier<P, S>          params stored unchanged; learned state S only after fit
 *     ├─ predictProba  -> checks shape (and NaN), then the subclass's `proba`
 *     ├─ predict       -> argmax of predictProba (first class on ties, like numpy's argmax)
 *     ├─ getParams / clone / toState       (subclass supplies `encode` and `create`)
 *     └─ LogisticRegression, SVC, KNeighborsClassifier, GaussianNB
 */
import { toNsError } from '../../core/errors.js';
import { matrix, takeRows, takeValues, type Matrix } from '../../core/matrix.js';
import type { Classifier, FitOptions } from '../estimator.js';
import { Learner } from '../learner.js';
import { stratifiedSample } from '../model-selection/split.js';
import { checkCols, checkFinite, checkParam } from '../preprocessing/validation.js';

/**
 * The optional param of the families whose fit cost grows with rows² (SVC, k-NN): with `maxRows`,
 * fit uses a stratified sample of at most that many rows (seeded, so the same data gives the same
 * sample) instead of all of them.
 */
export interface SampledFitParams {
  maxRows?: number;
}

/** Seed of the maxRows sample: fixed, so a model is a function of its data and params. */
const SAMPLE_SEED = 19;

/** What every learned state holds: the classes and the number of features seen in fit. */
export interface LearnedBase {
  classes: Float64Array;
  nFeatures: number;
}

export type { EncodedState } from '../learner.js';

export abstract class ProbabilisticClassifier<P extends object, S extends LearnedBase> extends Learner<P, S> implements Classifier<P> {
  get classes(): Float64Array {
    return this.state().classes;
  }

  /**
   * Validates params and data and learns the state (synchronously; `fit` wraps it in a Promise so
   * errors arrive as rejections, like every other classifier's).
   */
  protected abstract train(X: Matrix, y: Float64Array, options: FitOptions): S;

  fit(X: Matrix, y: Float64Array, options: FitOptions = {}): Promise<this> {
    try {
      const maxRows = (this.params as SampledFitParams).maxRows;
      if (maxRows !== undefined) {
        checkParam(Number.isInteger(maxRows) && maxRows >= 2, this.kind, 'maxRows', 'an integer >= 2', maxRows);
        if (X.rows > maxRows && y.length === X.rows) {
          const rows = stratifiedSample(y, maxRows, SAMPLE_SEED);
          const weight = options.sampleWeight;
          this.learned = this.train(takeRows(X, rows), takeValues(y, rows), { ...options, ...(weight ? { sampleWeight: takeValues(weight, rows) } : {}) });
          return Promise.resolve(this);
        }
      }
      this.learned = this.train(X, y, options);
      return Promise.resolve(this);
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : toNsError(e));
    }
  }

  /** Probability matrix for fitted state `s`; X is already checked. */
  protected abstract proba(s: S, X: Matrix): Matrix;

  /** A new unfitted instance with the given params (used by clone). */
  protected abstract override create(params: P): ProbabilisticClassifier<P, S>;

  predictProba(X: Matrix): Matrix {
    const s = this.state();
    checkCols(X, s.nFeatures, this.kind);
    checkFinite(X, this.kind);
    return this.proba(s, X);
  }

  predict(X: Matrix): Float64Array {
    const classes = this.state().classes;
    return argmaxLabels(this.predictProba(X), classes);
  }

  override clone(): ProbabilisticClassifier<P, S> {
    return this.create({ ...this.params });
  }
}

/** Label of the most probable class per row (first on ties). */
export function argmaxLabels(P: Matrix, classes: Float64Array): Float64Array {
  const out = new Float64Array(P.rows);
  const k = P.cols;
  const d = P.data;
  for (let i = 0; i < P.rows; i++) {
    let best = 0;
    let bestP = d[i * k]!;
    for (let j = 1; j < k; j++) {
      const p = d[i * k + j]!;
      if (p > bestP) {
        bestP = p;
        best = j;
      }
    }
    out[i] = classes[best]!;
  }
  return out;
}

/** n x 2 probability matrix [1 - p, p] from the probabilities of the second class. */
export function binaryProba(p1: Float64Array): Matrix {
  const out = matrix(p1.length, 2);
  for (let i = 0; i < p1.length; i++) {
    out.data[2 * i] = 1 - p1[i]!;
    out.data[2 * i + 1] = p1[i]!;
  }
  return out;
}

/** Numerically stable logistic function. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * Per-class weights as sample weights, like scikit-learn's `class_weight`: 'balanced' gives
 * n / (nClasses * count(c)); an object maps a label (as a string key, e.g. "-1") to its weight.
 */
export function classWeightsToSample(
  classWeight: 'balanced' | Record<string, number> | null | undefined,
  classes: Float64Array,
  yIndex: Int32Array,
  base: Float64Array | undefined,
): Float64Array {
  const n = yIndex.length;
  const w = new Float64Array(n);
  const perClass = new Float64Array(classes.length).fill(1);
  if (classWeight === 'balanced') {
    const counts = new Float64Array(classes.length);
    for (let i = 0; i < n; i++) counts[yIndex[i]!]! += 1;
    for (let k = 0; k < classes.length; k++) perClass[k] = n / (classes.length * counts[k]!);
  } else if (classWeight) {
    classes.forEach((c, k) => {
      const v = classWeight[String(c)];
      if (v !== undefined) perClass[k] = v;
    });
  }
  for (let i = 0; i < n; i++) w[i] = perClass[yIndex[i]!]! * (base ? base[i]! : 1);
  return w;
}

/** Validates a classWeight param value. */
export function isClassWeight(v: unknown): boolean {
  if (v === null || v === undefined || v === 'balanced') return true;
  if (typeof v !== 'object') return false;
  return Object.values(v as Record<string, unknown>).every((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0);
}
