/**
 * What every estimator with a separate learned state shares (after scikit-learn's BaseEstimator):
 * params stored unchanged, the learned state only after fit (NotFittedError before), `restore` for the
 * factories' fromState, and getParams / clone / toState derived from the subclass's `create` and
 * `encode`. ProbabilisticClassifier (linear/base.ts) and FittedTransformer (preprocessing/base.ts)
 * extend it.
 */
import { NotFittedError } from '../core/errors.js';
import type { ModelState, TypedArray } from './estimator.js';

/** Encoded learned state: JSON-safe scalars plus typed arrays (the ModelState split). */
export interface EncodedState {
  json: Record<string, unknown>;
  arrays: Record<string, TypedArray>;
}

export abstract class Learner<P extends object, S> {
  abstract readonly kind: string;
  readonly params: Readonly<P>;
  protected learned: S | undefined;

  constructor(params: P) {
    this.params = params;
  }

  /** The learned state as JSON plus typed arrays. */
  protected abstract encode(s: S): EncodedState;

  /** A new unfitted instance with the given params (used by clone). */
  protected abstract create(params: P): Learner<P, S>;

  /** The learned state; throws NotFittedError before fit. */
  protected state(): S {
    if (this.learned === undefined) throw new NotFittedError(this.kind);
    return this.learned;
  }

  /** Installs a decoded state (used by the factories' fromState). */
  restore(s: S): this {
    this.learned = s;
    return this;
  }

  getParams(): P {
    return { ...this.params };
  }

  clone(): Learner<P, S> {
    return this.create({ ...this.params });
  }

  toState(): ModelState {
    const { json, arrays } = this.encode(this.state());
    return { kind: this.kind, params: { ...this.params }, json, arrays };
  }
}
