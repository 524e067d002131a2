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
import type { BoostData } from './boost-tree.js';
import { buildBoostTree } from './boost-tree.js';
import { flattenTrees } from './flat-forest.js';
import { prepareTraining } from './prepare.js';
import type { TrainingSet } from './prepare.js';
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
}

export const histGradientBoostingDefaults: HistGradientBoostingParams = {
  learningRate: 0.1, maxIter: 100, maxDepth: 6, maxLeafNodes: null, minChildWeight: 1, l2Regularization: 1, subsample: 1,
  earlyStopping: false, validationFraction: 0.1, nIterNoChange: 10, tol: 1e-7, randomState: 0,
};

/** Row-major global bins for the boosting builder. */
function boostData(ts: TrainingSet): BoostData {
  const { n, nFeatures, colBins } = ts.compact;
  const binOffset = new Int32Array(nFeatures + 1);
  for (let f = 0; f < nFeatures; f++) binOffset[f + 1] = binOffset[f]! + ts.nBins[f]!;
  const rowBins = new Uint16Array(n * nFeatures);
  for (let f = 0; f < nFeatures; f++) {
    const off = binOffset[f]!;
    for (let u = 0; u < n; u++) rowBins[u * nFeatures + f] = off + colBins[f * n + u]!;
  }
  const defaultBin = new Int32Array(nFeatures);
  let nnz = 0;
  for (let f = 0; f < nFeatures; f++) {
    const counts = new Int32Array(ts.nBins[f]!);
    for (let u = 0; u < n; u++) counts[colBins[f * n + u]!]! += 1;
    let best = 0;
    for (let b = 1; b < counts.length; b++) if (counts[b]! > counts[best]!) best = b;
    defaultBin[f] = binOffset[f]! + best;
    nnz += n - counts[best]!;
  }
  const sparsePtr = new Int32Array(n + 1);
  const sparseBins = new Uint16Array(nnz);
  let j = 0;
  for (let u = 0; u < n; u++) {
    for (let f = 0; f < nFeatures; f++) {
      const b = rowBins[u * nFeatures + f]!;
      if (b !== defaultBin[f]) sparseBins[j++] = b;
    }
    sparsePtr[u + 1] = j;
  }
  return { n, nFeatures, rowBins, binOffset, defaultBin, sparsePtr, sparseBins, edges: ts.mapper.edges, offsets: ts.mapper.offsets };
}

/**
 * Adds the tree's leaf value to the score of every vector: rows the tree was grown on take it from
 * their leaf's segment of idx, the others (held out, not drawn) walk the tree.
 */
function addTree(d: BoostData, built: ReturnType<typeof buildBoostTree>, idx: Int32Array, inSample: Uint8Array, score: Float64Array): void {
  const { n, nFeatures: nf, rowBins, binOffset } = d;
  const { feature, thresholdBin, left, value } = built.tree;
  for (let k = 0; k < feature.length; k++) {
    if (feature[k]! >= 0) continue;
    const v = value[k]!;
    for (let j = built.segStart[k]!; j < built.segEnd[k]!; j++) score[idx[j]!]! += v;
  }
  for (let u = 0; u < n; u++) {
    if (inSample[u] === 1) continue;
    let k = 0;
    let f = feature[0]!;
    while (f >= 0) {
      k = left[k]! + (rowBins[u * nf + f]! - binOffset[f]! > thresholdBin[k]! ? 1 : 0);
      f = feature[k]!;
    }
    score[u]! += value[k]!;
  }
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

export class HistGradientBoostingClassifier extends TreeClassifierBase<HistGradientBoostingParams> {
  readonly kind = 'hist_gradient_boosting';
  protected readonly label = 'HistGradientBoostingClassifier';

  constructor(params: Partial<HistGradientBoostingParams> = {}) {
    super({ ...histGradientBoostingDefaults, ...params });
  }

  clone(): HistGradientBoostingClassifier {
    return new HistGradientBoostingClassifier(this.params);
  }

  /** Rounds actually run (fewer than maxIter after early stopping). */
  get nIter(): number {
    return this.model().extra.nIter ?? 0;
  }

  protected fitTrees(X: Matrix, y: Float64Array, options: FitOptions): Promise<FittedTrees> {
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

    const ts = prepareTraining(label, X, y, options.sampleWeight, null);
    const d = boostData(ts);
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
    const sums = (pick: (i: number) => boolean): { tot: Float64Array; pos: Float64Array } => {
      const tot = new Float64Array(d.n);
      const pos = new Float64Array(d.n);
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
    const score = new Float64Array(d.n).fill(init);

    const g = new Float64Array(d.n);
    const h = new Float64Array(d.n);
    const idx = new Int32Array(d.n);
    const inSample = new Uint8Array(d.n);
    const opt = {
      learningRate: p.learningRate, maxDepth: p.maxDepth ?? Infinity, maxLeafNodes: p.maxLeafNodes ?? Infinity,
      minChildWeight: p.minChildWeight, l2: p.l2Regularization,
    };
    const nSub = Math.max(1, Math.round(p.subsample * trainRows.length));
    const order = Int32Array.from(trainRows);
    const trees: TreeArrays[] = [];
    let bestLoss = valid ? logLoss(score, valid.tot, valid.pos) : Infinity;
    let stale = 0;
    for (let it = 0; it < p.maxIter; it++) {
      throwIfAborted(label, options.signal);
      let cur = train;
      if (nSub < trainRows.length) {
        // Partial Fisher-Yates: the first nSub entries of `order` are this round's rows.
        for (let k = 0; k < nSub; k++) {
          const j = k + rng.int(order.length - k);
          const t = order[k]!;
          order[k] = order[j]!;
          order[j] = t;
        }
        const tot = new Float64Array(d.n);
        const pos = new Float64Array(d.n);
        for (let k = 0; k < nSub; k++) {
          const i = order[k]!;
          tot[rowOf[i]!]! += w[i]!;
          if (y01[i] === 1) pos[rowOf[i]!]! += w[i]!;
        }
        cur = { tot, pos };
      }
      let m = 0;
      for (let u = 0; u < d.n; u++) {
        const t = cur.tot[u]!;
        inSample[u] = t === 0 ? 0 : 1;
        if (t === 0) continue;
        const pr = 1 / (1 + Math.exp(-score[u]!));
        g[u] = t * pr - cur.pos[u]!;
        h[u] = t * pr * (1 - pr);
        idx[m++] = u;
      }
      const built = buildBoostTree(d, idx, m, g, h, opt);
      trees.push(built.tree);
      addTree(d, built, idx, inSample, score);
      options.onProgress?.((it + 1) / p.maxIter);
      if (valid) {
        const loss = logLoss(score, valid.tot, valid.pos);
        if (loss < bestLoss - p.tol) {
          bestLoss = loss;
          stale = 0;
        } else if (++stale >= p.nIterNoChange) break;
      }
    }
    return Promise.resolve({
      classes: ts.target.classes, mapper: ts.mapper, forest: flattenTrees(trees, X.cols, init, 1), link: 'sigmoid', perTreeImportance: false,
      extra: { nIter: trees.length, validationLoss: valid ? bestLoss : null },
    });
  }
}

export const histGradientBoostingFactory = treeFactory<HistGradientBoostingParams>('hist_gradient_boosting', (p) => new HistGradientBoostingClassifier(p));
