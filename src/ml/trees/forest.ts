/**
 * RandomForestClassifier and ExtraTreesClassifier: bagged CART trees ('best' splits on bootstrap
 * samples; extra trees: one random cut per candidate feature, no bootstrap by default). Probabilities
 * are the mean of the trees' leaf shares of classes[1], as in scikit-learn.
 *
 * Each tree gets a seed drawn up front from the estimator's generator, so the model does not depend on
 * nJobs: with nJobs > 1 this thread and nJobs - 1 worker threads (src/ml/parallel) grow the trees
 * together over shared memory, with nJobs = 1 this thread alone.
 *
 * @example
 *   const rf = await new RandomForestClassifier({ nEstimators: 100, nJobs: 2, oobScore: true }).fit(X, y);
 *   rf.oobScore; // accuracy of out-of-bag votes
 */
import { NsError } from '../../core/errors.js';
import type { Matrix } from '../../core/matrix.js';
import { Rng } from '../../core/rng.js';
import type { FitOptions } from '../estimator.js';
import { sharedPool, toShared } from '../parallel/pool.js';
import type { FittedTrees } from './base.js';
import { TreeClassifierBase, throwIfAborted, treeFactory } from './base.js';
import type { CartOptions, Criterion } from './cart.js';
import { checkCartParams } from './decision-tree.js';
import { flattenTrees } from './flat-forest.js';
import type { ClaimedTrees, ClaimTask, ForestTask } from './forest-grow.js';
import { bootstrapCounts, forestTask, growClaimedTrees, growForestTrees } from './forest-grow.js';
import { prepareTraining } from './prepare.js';
import type { TreeArrays } from './tree.js';
import type { ClassWeight, MaxFeatures } from './validate.js';
import { checkBool, checkInt, resolveMaxFeatures } from './validate.js';

export interface ForestParams {
  nEstimators: number;
  criterion: Criterion;
  maxDepth: number | null;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  maxFeatures: MaxFeatures;
  bootstrap: boolean;
  oobScore: boolean;
  classWeight: ClassWeight;
  /** Worker threads for growing trees; 1 = in this thread. */
  nJobs: number;
  randomState: number;
}

export const randomForestDefaults: ForestParams = {
  nEstimators: 100, criterion: 'gini', maxDepth: null, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: 'sqrt',
  bootstrap: true, oobScore: false, classWeight: null, nJobs: 1, randomState: 0,
};

export const extraTreesDefaults: ForestParams = { ...randomForestDefaults, bootstrap: false };

abstract class ForestBase extends TreeClassifierBase<ForestParams> {
  protected abstract readonly splitter: 'best' | 'random';

  /** Out-of-bag accuracy (only with bootstrap and oobScore: true). */
  get oobScore(): number | null {
    return this.model().extra.oobScore ?? null;
  }

  protected async fitTrees(X: Matrix, y: Float64Array, options: FitOptions): Promise<FittedTrees> {
    const p = this.params;
    const label = this.label;
    checkInt(label, 'nEstimators', p.nEstimators, 1);
    checkCartParams(label, p);
    checkBool(label, 'bootstrap', p.bootstrap);
    checkBool(label, 'oobScore', p.oobScore);
    checkInt(label, 'nJobs', p.nJobs, 1);
    if (p.oobScore && !p.bootstrap) {
      throw new NsError('BAD_PARAM', `${label}: oobScore needs bootstrap: true.`, { hint: 'Set bootstrap: true or oobScore: false.' });
    }
    const maxFeatures = resolveMaxFeatures(label, p.maxFeatures, X.cols);
    const ts = prepareTraining(label, X, y, options.sampleWeight, p.classWeight);
    const rng = new Rng(p.randomState);
    const seeds: number[] = [];
    for (let t = 0; t < p.nEstimators; t++) seeds.push(rng.fork());
    const cart: CartOptions = {
      criterion: p.criterion, maxDepth: p.maxDepth ?? Infinity, minSamplesSplit: p.minSamplesSplit, minSamplesLeaf: p.minSamplesLeaf, maxFeatures, splitter: this.splitter,
    };
    const task = forestTask(ts, cart, p.bootstrap, []);
    const trees = p.nJobs > 1 ? await this.growParallel(task, seeds, options) : this.growHere(task, seeds, options);
    const forest = flattenTrees(trees, X.cols, 0, 1 / trees.length);
    const extra: Record<string, number | null> = {};
    if (p.oobScore) extra.oobScore = oobAccuracy(trees, seeds, X, ts.target.y01);
    return { classes: ts.target.classes, mapper: ts.mapper, forest, link: 'identity', perTreeImportance: true, extra };
  }

  private growHere(task: ForestTask, seeds: number[], options: FitOptions): TreeArrays[] {
    const trees: TreeArrays[] = [];
    for (let t = 0; t < seeds.length; t++) {
      throwIfAborted(this.label, options.signal);
      trees.push(...growForestTrees({ ...task, seeds: [seeds[t]!] }));
      options.onProgress?.((t + 1) / seeds.length);
    }
    return trees;
  }

  /**
   * nJobs threads grow the trees together — nJobs - 1 pool workers plus this thread — each taking the
   * next tree index from one shared counter: no message per tree, balanced by construction, and a
   * worker that is still starting up just finds nothing left, so small fits never wait for it. This
   * thread is busy (blocked) while it grows its share, as with nJobs = 1.
   */
  private async growParallel(task: ForestTask, seeds: number[], options: FitOptions): Promise<TreeArrays[]> {
    const pool = sharedPool(this.params.nJobs - 1);
    // The training arrays go to the workers once, as shared memory; the counter is shared too.
    const shared: ClaimTask = {
      ...task, colBins: toShared(task.colBins), nBins: toShared(task.nBins), edges: toShared(task.edges), offsets: toShared(task.offsets),
      rowOf: toShared(task.rowOf), y01: toShared(task.y01), draws: toShared(task.draws), rowWeight: toShared(task.rowWeight),
      packed: { ...task.packed, bits: toShared(task.packed.bits) }, seeds, claim: new Int32Array(new SharedArrayBuffer(8)),
    };
    await pool.settle();
    const workers: Promise<ClaimedTrees>[] = [];
    for (let w = 1; w < this.params.nJobs; w++) workers.push(pool.run<ClaimedTrees>('forest.growClaimed', shared, options.signal));
    const mine = growClaimedTrees(shared, () => options.signal?.aborted === true, () => options.onProgress?.(Atomics.load(shared.claim, 1) / seeds.length));
    const trees: TreeArrays[] = new Array<TreeArrays>(seeds.length);
    const place = (got: ClaimedTrees): void => got.index.forEach((i, j) => (trees[i] = got.trees[j]!));
    place(mine);
    if (options.signal?.aborted === true) {
      // Workers get nothing more to do; their aborted replies are not needed.
      Atomics.store(shared.claim, 0, seeds.length);
      for (const w of workers) w.catch(() => undefined);
      throwIfAborted(this.label, options.signal);
      return trees;
    }
    // When this thread grew every tree, a worker that took its job made one empty claim and answers at
    // once; one that has not (still starting, or its job queued) is not waited for: the pool reads its
    // reply (no trees) before the next parallel fit starts (settle above).
    const emptyClaims = Atomics.load(shared.claim, 0) - seeds.length - 1;
    if (mine.index.length === seeds.length && emptyClaims < workers.length) {
      for (const w of workers) pool.leave(w);
      return trees;
    }
    for (const got of await Promise.all(workers)) place(got);
    throwIfAborted(this.label, options.signal);
    return trees;
  }
}

/** Out-of-bag accuracy: each row voted on only by trees whose bootstrap left it out. */
function oobAccuracy(trees: TreeArrays[], seeds: number[], X: Matrix, y01: Uint8Array): number | null {
  const n = X.rows;
  const cols = X.cols;
  const sum = new Float64Array(n);
  const votes = new Int32Array(n);
  trees.forEach((tree, t) => {
    const counts = bootstrapCounts(new Rng(seeds[t]), n);
    for (let i = 0; i < n; i++) {
      if (counts[i] !== 0) continue;
      let k = 0;
      let f = tree.feature[0]!;
      while (f >= 0) {
        k = tree.left[k]! + (X.data[i * cols + f]! > tree.threshold[k]! ? 1 : 0);
        f = tree.feature[k]!;
      }
      sum[i]! += tree.value[k]!;
      votes[i]! += 1;
    }
  });
  let seen = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    if (votes[i] === 0) continue;
    seen++;
    if ((sum[i]! / votes[i]! > 0.5 ? 1 : 0) === y01[i]) correct++;
  }
  return seen === 0 ? null : correct / seen;
}

export class RandomForestClassifier extends ForestBase {
  readonly kind = 'random_forest';
  protected readonly label = 'RandomForestClassifier';
  protected readonly splitter = 'best';

  constructor(params: Partial<ForestParams> = {}) {
    super({ ...randomForestDefaults, ...params });
  }

  clone(): RandomForestClassifier {
    return new RandomForestClassifier(this.params);
  }
}

export class ExtraTreesClassifier extends ForestBase {
  readonly kind = 'extra_trees';
  protected readonly label = 'ExtraTreesClassifier';
  protected readonly splitter = 'random';

  constructor(params: Partial<ForestParams> = {}) {
    super({ ...extraTreesDefaults, ...params });
  }

  clone(): ExtraTreesClassifier {
    return new ExtraTreesClassifier(this.params);
  }
}

export const randomForestFactory = treeFactory<ForestParams>('random_forest', (p) => new RandomForestClassifier(p));
export const extraTreesFactory = treeFactory<ForestParams>('extra_trees', (p) => new ExtraTreesClassifier(p));
