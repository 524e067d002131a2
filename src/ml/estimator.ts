/**
 * The estimator contract, after scikit-learn:
 *   - the constructor stores a typed params object unchanged; checks happen in `fit`;
 *   - learned state is kept apart from params and exists only after `fit` (else NotFittedError);
 *   - `fit` returns the estimator (a Promise, so ensembles can use worker threads);
 *   - `predictProba` is the one source of truth, `predict` is derived from it;
 *   - `clone()` gives an unfitted twin with equal params; `toState()` / a factory's `fromState()` round-trip
 *     the fitted model bit for bit.
 *
 * Classifier
 *   ├─ linear: LogisticRegression, LinearSVC/SVC, NaiveBayes, KNeighbors   (src/ml/linear, src/ml/kernel …)
 *   └─ trees:  DecisionTree, RandomForest/ExtraTrees, HistGradientBoosting, AdaBoost (src/ml/trees)
 * Transformer: imputers, scalers, one-hot (src/ml/preprocessing)
 */
import type { Matrix } from '../core/matrix.js';

export type TypedArray = Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array;

/** A fitted model or transformer as plain JSON plus typed arrays (see bundle.ts for the byte format). */
export interface ModelState {
  kind: string;
  params: Record<string, unknown>;
  json: Record<string, unknown>;
  arrays: Record<string, TypedArray>;
}

export interface FitOptions {
  sampleWeight?: Float64Array;
  signal?: AbortSignal;
  /** Called with 0..1 as fitting proceeds (trees built, iterations done). */
  onProgress?: (fraction: number) => void;
}

export interface Classifier<P extends object = object> {
  /** Family name, e.g. "random_forest"; also the `kind` of its ModelState. */
  readonly kind: string;
  readonly params: Readonly<P>;
  /** Sorted distinct labels seen in fit (e.g. [-1, 1]); column k of predictProba is classes[k]. */
  readonly classes: Float64Array;
  fit(X: Matrix, y: Float64Array, options?: FitOptions): Promise<this>;
  predictProba(X: Matrix): Matrix;
  predict(X: Matrix): Float64Array;
  getParams(): P;
  clone(): Classifier<P>;
  toState(): ModelState;
  /** Impurity- or gain-based importances, length = number of features; undefined where the family has none. */
  featureImportances?(): Float64Array;
  /**
   * Per-feature contributions to the score of classes[1] in the model's contributionSpace(), n x (cols + 1),
   * the last column being the bias / expected value. Rows sum to that score.
   */
  contributions?(X: Matrix): Matrix;
  /**
   * What a row of contributions() sums to: 'log-odds' (logit of the probability of classes[1]) or
   * 'probability' (the probability of classes[1] itself). Present exactly when contributions is.
   */
  contributionSpace?(): ContributionSpace;
}

export type ContributionSpace = 'probability' | 'log-odds';

export interface Transformer<P extends object = object> {
  readonly kind: string;
  readonly params: Readonly<P>;
  fit(X: Matrix): this;
  transform(X: Matrix): Matrix;
  fitTransform(X: Matrix): Matrix;
  getParams(): P;
  clone(): Transformer<P>;
  toState(): ModelState;
}

export interface ClassifierFactory<P extends object = object> {
  kind: string;
  create(params?: Partial<P>): Classifier<P>;
  fromState(state: ModelState): Classifier<P>;
}

export interface TransformerFactory<P extends object = object> {
  kind: string;
  create(params?: Partial<P>): Transformer<P>;
  fromState(state: ModelState): Transformer<P>;
}
