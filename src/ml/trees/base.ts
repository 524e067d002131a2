/**
 * Shared shell of the tree classifiers. Each family (decision tree, forests, boosting, AdaBoost) only
 * implements `fitTrees`, which turns (X, y) into a FlatForest plus a link; everything a fitted model
 * does — probabilities, labels, contributions, importances, state — lives here, once.
 *
 *   TreeClassifierBase
 *     ├─ DecisionTreeClassifier        (link identity: leaf share of class 1)
 *     ├─ RandomForest / ExtraTrees     (identity: mean of the trees' shares)
 *     ├─ HistGradientBoostingClassifier (sigmoid of the summed log-odds)
 *     └─ AdaBoostClassifier            (sigmoid of the normalised SAMME vote)
 */
import { NotFittedError, NsError } from '../../core/errors.js';
import type { Matrix } from '../../core/matrix.js';
import { matrix } from '../../core/matrix.js';
import type { Classifier, ClassifierFactory, ContributionSpace, FitOptions, ModelState, TypedArray } from '../estimator.js';
import type { BinMapper } from './binning.js';
import type { FlatForest } from './flat-forest.js';
import { forestContributions, forestImportances, forestScores, planOf, withPacked } from './flat-forest.js';
import { MASK_BLOCK } from './mask-scores.js';
import { leadSort, sharedSort } from './shared-sort.js';
import { sortJob } from './sort-rows.js';
import { borrowShared, returnShared } from '../parallel/shared-buffers.js';
import { sharedPool, toShared } from '../parallel/pool.js';
import type { ClaimScoreTask } from './score-task.js';
import { scoreClaimedRows } from './score-task.js';

/** Rows per chunk that a thread claims in predictProbaAsync: one block of the mask walk (small chunks even out the threads' finish). */
const SCORE_CHUNK = MASK_BLOCK;
/** Rows per piece of the binning and the scatter that the threads share before scoring. */
const SORT_PIECE = 16_384;
import { scoringForest } from './scoring-forest.js';
import { checkFinite, checkPredictInput, checkShape } from './validate.js';

export type Link = 'identity' | 'sigmoid';

/** Everything a fitted tree model holds. */
export interface FittedTrees {
  classes: Float64Array;
  mapper: BinMapper;
  forest: FlatForest;
  link: Link;
  /** Normalise importances per tree before averaging (forests) or sum raw gains (boosting). */
  perTreeImportance: boolean;
  /** Family-specific learned numbers (out-of-bag score, iterations run …). */
  extra: Record<string, number | null>;
}

export abstract class TreeClassifierBase<P extends object> implements Classifier<P> {
  abstract readonly kind: string;
  /** Class name used in messages. */
  protected abstract readonly label: string;
  readonly params: Readonly<P>;
  protected fitted: FittedTrees | undefined;
  /** The fitted model's scoring arrays in shared memory, made on first predictProbaAsync. */
  private sharedModel: { forest: FlatForest; mapper: BinMapper } | undefined;

  constructor(params: P) {
    this.params = params;
  }

  /** Learns the trees; called by `fit` after nothing else. */
  protected abstract fitTrees(X: Matrix, y: Float64Array, options: FitOptions): Promise<FittedTrees>;

  abstract clone(): Classifier<P>;

  async fit(X: Matrix, y: Float64Array, options: FitOptions = {}): Promise<this> {
    this.sharedModel = undefined;
    this.fitted = await this.fitTrees(X, y, options);
    options.onProgress?.(1);
    return this;
  }

  /** The fitted model, or NotFittedError. */
  protected model(): FittedTrees {
    if (this.fitted === undefined) throw new NotFittedError(this.label);
    return this.fitted;
  }

  get classes(): Float64Array {
    return this.model().classes;
  }

  /** Raw scores for classes[1]: probability (forests, trees) or log-odds (boosting, AdaBoost). */
  decisionFunction(X: Matrix): Float64Array {
    const m = this.model();
    checkPredictInput(this.label, X, m.forest.nFeatures);
    return forestScores(scoringForest(m.forest, m.link), m.mapper, X);
  }

  predictProba(X: Matrix): Matrix {
    const s = this.decisionFunction(X);
    const sigmoid = this.model().link === 'sigmoid';
    const out = matrix(X.rows, 2);
    const o = out.data;
    for (let i = 0; i < s.length; i++) {
      const p = sigmoid ? 1 / (1 + Math.exp(-s[i]!)) : s[i]!;
      o[2 * i] = 1 - p;
      o[2 * i + 1] = p;
    }
    return out;
  }

  /**
   * predictProba for large batches, rows split over `nJobs` threads (this one and nJobs - 1 pool
   * workers, taking chunks from a shared counter; this thread is busy meanwhile). The model is put in
   * shared memory once (kept for later calls); X is copied into shared memory unless it already is.
   * Same numbers as predictProba.
   */
  async predictProbaAsync(X: Matrix, options: { nJobs?: number; signal?: AbortSignal } = {}): Promise<Matrix> {
    const m = this.model();
    const nJobs = Math.max(1, Math.floor(options.nJobs ?? 2));
    if (nJobs === 1 || X.rows < 4096) return this.predictProba(X);
    const sf = scoringForest(m.forest, m.link);
    const plan = planOf(sf, m.mapper);
    // Without the mask walk, the threads walk rows of X as given (checked here).
    if (plan === null) checkPredictInput(this.label, X, m.forest.nFeatures);
    else checkShape(this.label, X, m.forest.nFeatures);
    this.sharedModel ??= {
      forest: {
        ...sf, roots: toShared(sf.roots), packed: toShared(sf.packed), value: toShared(sf.value),
        feature: toShared(sf.feature), thresholdBin: toShared(sf.thresholdBin), left: toShared(sf.left),
      },
      mapper: { nFeatures: m.mapper.nFeatures, edges: toShared(m.mapper.edges), offsets: toShared(m.mapper.offsets) },
    };
    const { forest, mapper } = this.sharedModel;
    // Only what scoring reads crosses to the workers (the mask walk also reads feature, thresholdBin, left).
    const lean: FlatForest = { ...forest, threshold: new Float64Array(0), cover: new Float64Array(0), gain: new Float64Array(0) };
    // X is copied into a reused shared buffer (a fresh one would cost its page faults on every call).
    const xBuf = X.data.buffer instanceof SharedArrayBuffer ? undefined : borrowShared(X.data.byteLength);
    const xs = xBuf === undefined ? X.data : new Float64Array(xBuf, 0, X.data.length);
    if (xBuf !== undefined) xs.set(X.data);
    try {
      // With the mask walk, the threads bin and sort the rows together first (the sort must be global
      // to pay), then score chunks of the sorted order and write each score to its row's place.
      const job = plan === null ? undefined : sortJob(X.rows, X.cols, m.mapper, plan.order, true);
      const sort = job === undefined ? undefined : sharedSort(job, xs, SORT_PIECE);
      const out = new Float64Array(new SharedArrayBuffer(8 * X.rows));
      // The threads also write the probabilities, straight into the returned matrix.
      const P = matrix(X.rows, 2, new Float64Array(new SharedArrayBuffer(16 * X.rows)));
      // This thread and nJobs - 1 workers take chunks of rows from one shared counter.
      const task: ClaimScoreTask = {
        forest: lean, mapper, X: job === undefined ? xs : new Float64Array(0), cols: X.cols, out, rowStart: 0, rowEnd: X.rows,
        claim: new Int32Array(new SharedArrayBuffer(4)), chunk: SCORE_CHUNK, proba: { out: P.data, sigmoid: m.link === 'sigmoid' },
        ...(job === undefined ? {} : { sorted: { bins: job.bins, perm: job.perm, stride: job.stride, shared: sort! } }),
      };
      const pool = sharedPool(nJobs - 1);
      const workers: Promise<number>[] = [];
      for (let w = 1; w < nJobs; w++) workers.push(pool.run<number>('forest.scoreClaimed', task, options.signal));
      try {
        if (sort !== undefined) leadSort(sort, () => checkFinite(this.label, X));
      } catch (err) {
        for (const w of workers) w.catch(() => undefined);
        throw err;
      }
      scoreClaimedRows(task, plan);
      // Always read the workers' replies, even when this thread scored every chunk: an unread reply
      // keeps its pool slot taken, the next call's job would queue behind it, and this thread would
      // then score every chunk again, call after call. A worker with nothing left replies at once.
      await Promise.all(workers);
      return P;
    } finally {
      // Workers read X only while binning, which leadSort saw finish (or X was not copied).
      if (xBuf !== undefined) returnShared(xBuf);
    }
  }

  predict(X: Matrix): Float64Array {
    return this.labelsOf(this.predictProba(X));
  }

  /** The labels `predict` gives for rows whose predictProba is `P` (callers that already have P). */
  labelsOf(P: Matrix): Float64Array {
    const p = P.data;
    const c = this.classes;
    const out = new Float64Array(P.rows);
    for (let i = 0; i < out.length; i++) out[i] = p[2 * i + 1]! > p[2 * i]! ? c[1]! : c[0]!;
    return out;
  }

  getParams(): P {
    return { ...this.params };
  }

  featureImportances(): Float64Array {
    const m = this.model();
    return forestImportances(m.forest, m.perTreeImportance);
  }

  /** Path contributions to the raw score of classes[1] (see flat-forest.ts); last column is the bias. */
  contributions(X: Matrix): Matrix {
    const m = this.model();
    checkPredictInput(this.label, X, m.forest.nFeatures);
    return forestContributions(m.forest, X);
  }

  /** Boosting (sigmoid link) explains log-odds; a tree or forest (identity link) explains the probability. */
  contributionSpace(): ContributionSpace {
    return this.model().link === 'sigmoid' ? 'log-odds' : 'probability';
  }

  toState(): ModelState {
    const m = this.model();
    const f = m.forest;
    const arrays: Record<string, TypedArray> = {
      classes: m.classes, edges: m.mapper.edges, offsets: m.mapper.offsets, roots: f.roots, feature: f.feature,
      thresholdBin: f.thresholdBin, threshold: f.threshold, left: f.left, value: f.value, cover: f.cover, gain: f.gain,
      baseScale: Float64Array.of(f.base, f.scale),
    };
    return {
      kind: this.kind,
      params: { ...this.params },
      json: { nFeatures: f.nFeatures, link: m.link, perTreeImportance: m.perTreeImportance, extra: m.extra },
      arrays,
    };
  }

  /** Restores a fitted model written by toState (used by the factories' fromState). */
  restoreState(state: ModelState): void {
    if (state.kind !== this.kind) {
      throw new NsError('STATE_KIND', `Model state of kind ${state.kind} cannot be loaded as ${this.kind}.`, { hint: 'Load it with the factory of its own kind.' });
    }
    const a = state.arrays;
    const need = <T extends TypedArray>(name: string, C: abstract new (...args: never[]) => T): T => {
      const v = a[name];
      if (!(v instanceof C)) {
        throw new NsError('STATE_CORRUPT', `Model state of ${this.kind} lacks a valid array "${name}".`, { hint: 'Re-train and save the model again.' });
      }
      return v;
    };
    const j = state.json as { nFeatures: number; link: Link; perTreeImportance: boolean; extra: Record<string, number | null> };
    const bs = need('baseScale', Float64Array);
    const nFeatures = j.nFeatures;
    const forest: FlatForest = withPacked({
      nFeatures, roots: need('roots', Int32Array), feature: need('feature', Int32Array), thresholdBin: need('thresholdBin', Uint8Array),
      threshold: need('threshold', Float64Array), left: need('left', Int32Array), value: need('value', Float64Array),
      cover: need('cover', Float64Array), gain: need('gain', Float64Array), packed: new Int32Array(0), base: bs[0]!, scale: bs[1]!,
    });
    this.sharedModel = undefined;
    this.fitted = {
      classes: need('classes', Float64Array),
      mapper: { nFeatures, edges: need('edges', Float64Array), offsets: need('offsets', Int32Array) },
      forest, link: j.link, perTreeImportance: j.perTreeImportance, extra: { ...j.extra },
    };
  }
}

/** A ClassifierFactory for a tree family. */
export function treeFactory<P extends object>(kind: string, make: (params?: Partial<P>) => TreeClassifierBase<P>): ClassifierFactory<P> {
  return {
    kind,
    create: (params) => make(params),
    fromState: (state) => {
      const est = make(state.params as Partial<P>);
      est.restoreState(state);
      return est;
    },
  };
}

/** Throws when the caller aborted the fit. */
export function throwIfAborted(label: string, signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new NsError('FIT_ABORTED', `${label}: fitting was cancelled.`, { kind: 'state', hint: 'Start the fit again if it is still needed.' });
}
