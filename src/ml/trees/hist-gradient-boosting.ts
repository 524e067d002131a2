/**
 * HistGradientBoostingClassifier: binary log-loss boosting of histogram trees (boost-tree.ts).
 * The raw score is log-odds: init = log-odds of the weighted class-1 share, plus one tree step per
 * round. Rows with identical bins share a score, so gradients are summed per distinct vector and the
 * score update is one traversal per vector, not per row.
 *
 * Row subsampling draws `subsample * n` training rows per round without replacement. With
 * earlyStopping, `validationFraction` of the rows is held out (seeded) and fitting stops after
 * `nIterNoChange` rounds without a validation log-loss gain larger than `tol`.
 *
 * @example
 *   const gb = await new HistGradientBoostingClassifier({ maxIter: 300, maxDepth: 6 }).fit(X, y);
 */
import type { Matrix } from '../../core/matrix.js';
import { Rng } from '../../core/rng.js';
import type { FitOptions } from '../estimator.js';
import type { FittedTrees } from './base.js';
import { TreeClassifierBase, throwIfAborted, treeFactory } from './base.js';
import type { BoostPrepared } from './boost-prepared.js';
import { prepareBoosting } from './boost-prepared.js';
import type { BoostData } from './boost-tree.js';
import { BoostWorkspace, buildBoostTree } from './boost-tree.js';
import { HistTeam, histTeamShared } from './boost-team.js';
import { LARGE_SET_VECTORS } from './boost-joint.js';
import type { GradArrays, SegmentTable } from './boost-steps.js';
import { fillSegments, gradientRange, scoreRange, segmentTable } from './boost-steps.js';
import { sharedPool } from '../parallel/pool.js';
import { flattenTrees } from './flat-forest.js';
import type { TreeArrays } from './tree.js';
import { checkBool, checkInt, checkNumber } from './validate.js';

export interface HistGradientBoostingParams {
  learningRate: number;
  /** Boosting rounds. */
  maxIter: number;
  maxDepth: number | null;
  maxLeafNodes: number | null;
  /** Smallest hessian sum a child may have. */
  minChildWeight: number;
  l2Regularization: number;
  /** Share of training rows drawn (without replacement) per round. */
  subsample: number;
  earlyStopping: boolean;
  validationFraction: number;
  nIterNoChange: number;
  tol: number;
  randomState: number;
  /** Threads that build histograms on large sets (this one plus nJobs - 1 pool workers); the model does not depend on it. */
  nJobs: number;
}

export const histGradientBoostingDefaults: HistGradientBoostingParams = {
  learningRate: 0.1, maxIter: 100, maxDepth: 6, maxLeafNodes: null, minChildWeight: 1, l2Regularization: 1, subsample: 1,
  earlyStopping: false, validationFraction: 0.1, nIterNoChange: 10, tol: 1e-7, randomState: 0, nJobs: 1,
};

export { LARGE_SET_VECTORS } from './boost-joint.js';

/**
 * Adds the tree's leaf value to the score of every vector: rows the tree was grown on take it from
 * their leaf's segment of idx (or their deferred parent's segment and one bin test; boost-steps.ts
 * scoreRange, shared among the team's threads on large sets), the others (held out, not drawn) walk
 * the tree.
 */
function addTree(d: BoostData, tree: TreeArrays, ws: BoostWorkspace, segs: SegmentTable, idx: Int32Array, m: number, inSample: Uint8Array, score: Float64Array, grad: GradArrays | undefined): void {
  const { n, colBins } = d;
  const fill = (t: SegmentTable): number => fillSegments(t, tree, n, ws.segStart, ws.segEnd, ws.deferred);
  if (ws.team === undefined || !ws.team.score(m, fill, grad !== undefined)) {
    let t = segs;
    let count = fill(t);
    if (count < 0) {
      t = segmentTable(tree.feature.length, false);
      count = fill(t);
    }
    scoreRange(t, count, idx, colBins, score, 0, m, grad?.gh);
    if (grad !== undefined) gradientRange(score, grad.tot, grad.pos, grad.gh, inSample, 0, n, true);
  }
  if (m === n) return;
  const { feature, thresholdBin, left, value } = tree;
  for (let u = 0; u < n; u++) {
    if (inSample[u] === 1) continue;
    let k = 0;
    let f = feature[0]!;
    while (f >= 0) {
      k = left[k]! + (colBins[f * n + u]! > thresholdBin[k]! ? 1 : 0);
      f = feature[k]!;
    }
    score[u]! += value[k]!;
  }
}

/**
 * Draws this round's rows (partial Fisher-Yates: the first nSub entries of `order`) and sums their
 * weights per vector into tot / pos (cleared first); wPos[i] is row i's weight if its label is 1, else 0.
 */
function drawSubsample(rng: Rng, order: Int32Array, nSub: number, rowOf: Int32Array, w: Float64Array, wPos: Float64Array, tot: Float64Array, pos: Float64Array): void {
  const len = order.length;
  tot.fill(0);
  pos.fill(0);
  for (let k = 0; k < nSub; k++) {
    const j = k + rng.int(len - k);
    const i = order[j]!;
    order[j] = order[k]!;
    order[k] = i;
    const u = rowOf[i]!;
    tot[u]! += w[i]!;
    // wPos is w for class 1 and +0 otherwise: adding +0 leaves the sum's bits unchanged, without a branch.
    pos[u]! += wPos[i]!;
  }
}

/**
 * Log-loss gradient and hessian of every vector with weight (interleaved into gh), its in-sample flag
 * (boost-steps.ts gradientRange, shared among the team's threads on large sets), and the list of
 * those vectors in idx; returns how many.
 */
function gradients(score: Float64Array, tot: Float64Array, pos: Float64Array, gh: Float64Array, inSample: Uint8Array, idx: Int32Array, team: HistTeam | undefined, ready: boolean): number {
  const n = score.length;
  // ready: the last score update wrote them (addTree with grad), and the sample is the same.
  if (!ready) {
    if (team !== undefined) team.gradients();
    else gradientRange(score, tot, pos, gh, inSample, 0, n);
  }
  // Without joint codes, the helpers start on the tree's root histogram while this thread lists the vectors.
  team?.postRoot();
  let m = 0;
  for (let u = 0; u < n; u++) if (inSample[u] === 1) idx[m++] = u;
  return m;
}

/** Weighted log-loss of scores against per-vector (total, positive) weights. */
function logLoss(score: Float64Array, tot: Float64Array, pos: Float64Array): number {
  let s = 0;
  let w = 0;
  for (let u = 0; u < score.length; u++) {
    const t = tot[u]!;
    if (t === 0) continue;
    const F = score[u]!;
    // log(1 + e^F) computed without overflow.
    const softplus = F > 0 ? F + Math.log1p(Math.exp(-F)) : Math.log1p(Math.exp(F));
    s += t * softplus - pos[u]! * F;
    w += t;
  }
  return w > 0 ? s / w : 0;
}

/**
 * Starts `count` pool workers on the team's passes (they take blocks until team.stop()); their jobs
 * are returned for the pool to collect.
 */
async function startHelpers(team: HistTeam, count: number, signal: AbortSignal | undefined): Promise<() => Promise<void>> {
  const pool = sharedPool(count);
  await pool.settle();
  const jobs: Promise<number>[] = [];
  for (let w = 0; w < count; w++) jobs.push(pool.run<number>('boost.histHelper', team.shared, signal));
  return async () => {
    team.stop();
    for (const job of jobs) pool.leave(job);
    // A helper answers as soon as it sees the stop; read its answer now (a job still queued behind
    // other work is not waited for: it returns at once when it runs).
    await pool.settle(1000);
  };
}

export class HistGradientBoostingClassifier extends TreeClassifierBase<HistGradientBoostingParams> {
  readonly kind = 'hist_gradient_boosting';
  protected readonly label = 'HistGradientBoostingClassifier';
  /** The prepared set of a running fitPrepared call. */
  private pending: BoostPrepared | undefined;

  constructor(params: Partial<HistGradientBoostingParams> = {}) {
    super({ ...histGradientBoostingDefaults, ...params });
  }

  clone(): HistGradientBoostingClassifier {
    return new HistGradientBoostingClassifier(this.params);
  }

  /**
   * Fits on a set made by `prepareBoosting` (same model as `fit(prep.X, prep.y, { sampleWeight })`),
   * so several settings on the same rows share one binning.
   */
  async fitPrepared(prep: BoostPrepared, options: Omit<FitOptions, 'sampleWeight'> = {}): Promise<this> {
    this.pending = prep;
    try {
      return await this.fit(prep.X, prep.y, { ...options, sampleWeight: prep.sampleWeight });
    } finally {
      this.pending = undefined;
    }
  }

  /** Rounds actually run (fewer than maxIter after early stopping). */
  get nIter(): number {
    return this.model().extra.nIter ?? 0;
  }

  protected async fitTrees(X: Matrix, y: Float64Array, options: FitOptions): Promise<FittedTrees> {
    const p = this.params;
    const label = this.label;
    checkNumber(label, 'learningRate', p.learningRate, 0, Infinity, true);
    checkInt(label, 'maxIter', p.maxIter, 1);
    checkInt(label, 'maxDepth', p.maxDepth, 1, true);
    checkInt(label, 'maxLeafNodes', p.maxLeafNodes, 2, true);
    checkNumber(label, 'minChildWeight', p.minChildWeight, 0, Infinity);
    checkNumber(label, 'l2Regularization', p.l2Regularization, 0, Infinity);
    checkNumber(label, 'subsample', p.subsample, 0, 1, true);
    checkBool(label, 'earlyStopping', p.earlyStopping);
    checkNumber(label, 'validationFraction', p.validationFraction, 0, 1, true);
    checkInt(label, 'nIterNoChange', p.nIterNoChange, 1);
    checkNumber(label, 'tol', p.tol, 0, Infinity);
    checkInt(label, 'randomState', p.randomState, 0);
    checkInt(label, 'nJobs', p.nJobs, 1);

    const pending = this.pending;
    const prep = pending && pending.X === X && pending.y === y && pending.sampleWeight === options.sampleWeight
      ? pending
      : prepareBoosting(X, y, options.sampleWeight, label);
    const { ts, data: d } = prep;
    const rng = new Rng(p.randomState);
    const rows = X.rows;
    const { rowOf } = ts.compact;
    const { y01 } = ts.target;
    const w = ts.rowWeight;

    // Held-out rows for early stopping; everything else trains.
    const isValid = new Uint8Array(rows);
    if (p.earlyStopping) {
      const order = new Int32Array(rows);
      for (let i = 0; i < rows; i++) order[i] = i;
      rng.shuffle(order);
      const nValid = Math.max(1, Math.floor(p.validationFraction * rows));
      for (let k = 0; k < nValid; k++) isValid[order[k]!] = 1;
    }
    const trainRows: number[] = [];
    for (let i = 0; i < rows; i++) if (isValid[i] === 0) trainRows.push(i);
    // Large sets: the per-vector arrays live in shared memory, for the team's threads (boost-team.ts).
    const large = d.n >= LARGE_SET_VECTORS;
    const buffer = (bytes: number): ArrayBuffer | SharedArrayBuffer => (large ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
    const perVector = (): Float64Array => new Float64Array(buffer(8 * d.n));
    const sums = (pick: (i: number) => boolean): { tot: Float64Array; pos: Float64Array } => {
      const tot = perVector();
      const pos = perVector();
      for (let i = 0; i < rows; i++) {
        if (!pick(i)) continue;
        tot[rowOf[i]!]! += w[i]!;
        if (y01[i] === 1) pos[rowOf[i]!]! += w[i]!;
      }
      return { tot, pos };
    };
    const train = sums((i) => isValid[i] === 0);
    const valid = p.earlyStopping ? sums((i) => isValid[i] === 1) : undefined;

    let T = 0;
    let P = 0;
    for (let u = 0; u < d.n; u++) {
      T += train.tot[u]!;
      P += train.pos[u]!;
    }
    const share = Math.min(1 - 1e-12, Math.max(1e-12, P / T));
    const init = Math.log(share / (1 - share));
    const score = perVector().fill(init);

    const nSub = Math.max(1, Math.round(p.subsample * trainRows.length));
    const subsampled = nSub < trainRows.length;
    const cur = subsampled ? { tot: perVector(), pos: perVector() } : train;
    const gh = new Float64Array(buffer(16 * d.n));
    const idx = new Int32Array(buffer(4 * d.n));
    const inSample = new Uint8Array(buffer(d.n));
    const histLength = 2 * d.binOffset[d.nFeatures]!;
    const team = large ? new HistTeam(histTeamShared(d, gh, idx, histLength, { score, tot: cur.tot, pos: cur.pos, inSample })) : undefined;
    const ws = new BoostWorkspace(histLength, team, team?.shared.scratch);
    const segs = segmentTable(256, false);
    const rounds = (): FittedTrees => {
      const opt = {
        learningRate: p.learningRate, maxDepth: p.maxDepth ?? Infinity, maxLeafNodes: p.maxLeafNodes ?? Infinity,
        minChildWeight: p.minChildWeight, l2: p.l2Regularization,
      };
      const order = Int32Array.from(trainRows);
      const wPos = new Float64Array(rows);
      for (let i = 0; i < rows; i++) if (y01[i] === 1) wPos[i] = w[i]!;
      const trees: TreeArrays[] = [];
      let bestLoss = valid ? logLoss(score, valid.tot, valid.pos) : Infinity;
      let stale = 0;
      for (let it = 0; it < p.maxIter; it++) {
        throwIfAborted(label, options.signal);
        if (subsampled) drawSubsample(rng, order, nSub, rowOf, w, wPos, cur.tot, cur.pos);
        const m = gradients(score, cur.tot, cur.pos, gh, inSample, idx, team, it > 0 && !subsampled);
        const tree = buildBoostTree(d, idx, m, gh, opt, ws);
        trees.push(tree);
        // Without subsampling the weights stay, so the score update also makes the next gradients.
        addTree(d, tree, ws, segs, idx, m, inSample, score, subsampled ? undefined : { tot: cur.tot, pos: cur.pos, gh });
        options.onProgress?.((it + 1) / p.maxIter);
        if (valid) {
          const loss = logLoss(score, valid.tot, valid.pos);
          if (loss < bestLoss - p.tol) {
            bestLoss = loss;
            stale = 0;
          } else if (++stale >= p.nIterNoChange) break;
        }
      }
      return {
        classes: ts.target.classes, mapper: ts.mapper, forest: flattenTrees(trees, X.cols, init, 1), link: 'sigmoid', perTreeImportance: false,
        extra: { nIter: trees.length, validationLoss: valid ? bestLoss : null },
      };
    };
    const stopHelpers = team !== undefined && p.nJobs > 1 ? await startHelpers(team, p.nJobs - 1, options.signal) : undefined;
    try {
      return rounds();
    } finally {
      await stopHelpers?.();
    }
  }
}

export const histGradientBoostingFactory = treeFactory<HistGradientBoostingParams>('hist_gradient_boosting', (p) => new HistGradientBoostingClassifier(p));
