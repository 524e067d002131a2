/**
 * A binned training set for HistGradientBoostingClassifier, made once and shared by several fits on
 * the same rows (e.g. every setting of a grid search on one fold): validation, cut points, distinct
 * vectors and the sparse layout the boosting builder scans are computed here, not per fit.
 *
 * @example
 *   const prep = prepareBoosting(X, y);
 *   for (const lr of [0.1, 0.01]) await new HistGradientBoostingClassifier({ learningRate: lr }).fitPrepared(prep);
 */
import type { Matrix } from '../../core/matrix.js';
import type { BoostData } from './boost-tree.js';
import { jointCodes, LARGE_SET_VECTORS } from './boost-joint.js';
import { prepareTraining } from './prepare.js';
import type { TrainingSet } from './prepare.js';

/** Training rows binned for boosting; read-only once made. */
export interface BoostPrepared {
  /** The training data it was made from (not copied: do not modify them while it is in use). */
  readonly X: Matrix;
  readonly y: Float64Array;
  readonly sampleWeight: Float64Array | undefined;
  readonly ts: TrainingSet;
  readonly data: BoostData;
}

/** Global bins, default bins and the sparse non-default lists of the distinct vectors (large sets: joint codes too). */
export function boostData(ts: TrainingSet): BoostData {
  const { n, nFeatures, colBins } = ts.compact;
  const binOffset = new Int32Array(nFeatures + 1);
  for (let f = 0; f < nFeatures; f++) binOffset[f + 1] = binOffset[f]! + ts.nBins[f]!;
  const defaultBin = new Int32Array(nFeatures);
  const localDefault = new Int32Array(nFeatures);
  let nnz = 0;
  for (let f = 0; f < nFeatures; f++) {
    const counts = new Int32Array(ts.nBins[f]!);
    for (let u = 0; u < n; u++) counts[colBins[f * n + u]!]! += 1;
    let best = 0;
    for (let b = 1; b < counts.length; b++) if (counts[b]! > counts[best]!) best = b;
    localDefault[f] = best;
    defaultBin[f] = binOffset[f]! + best;
    nnz += n - counts[best]!;
  }
  const sparsePtr = new Int32Array(n + 1);
  const sparseBins = new Uint16Array(nnz);
  let j = 0;
  for (let u = 0; u < n; u++) {
    for (let f = 0; f < nFeatures; f++) {
      const b = colBins[f * n + u]!;
      if (b !== localDefault[f]) sparseBins[j++] = binOffset[f]! + b;
    }
    sparsePtr[u + 1] = j;
  }
  // The same entries by bin: binRows[binPtr[b] .. binPtr[b + 1]) lists, ascending, the vectors in bin b.
  const totalBins = binOffset[nFeatures]!;
  const binPtr = new Int32Array(totalBins + 1);
  for (let k = 0; k < nnz; k++) binPtr[sparseBins[k]! + 1]! += 1;
  for (let b = 0; b < totalBins; b++) binPtr[b + 1]! += binPtr[b]!;
  const fillAt = binPtr.slice(0, totalBins);
  const binRows = new Int32Array(nnz);
  for (let u = 0; u < n; u++) {
    for (let k = sparsePtr[u]!; k < sparsePtr[u + 1]!; k++) binRows[fillAt[sparseBins[k]!]!++] = u;
  }
  const nonDefault: number[] = [];
  for (let b = 0; b < totalBins; b++) if (binPtr[b + 1]! > binPtr[b]!) nonDefault.push(b);
  nonDefault.sort((a, b) => binPtr[b + 1]! - binPtr[b]! - (binPtr[a + 1]! - binPtr[a]!) || a - b);
  const binOrder = Int32Array.from(nonDefault);
  const d: BoostData = { n, nFeatures, colBins, binOffset, defaultBin, sparsePtr, sparseBins, binPtr, binRows, binOrder, edges: ts.mapper.edges, offsets: ts.mapper.offsets };
  if (n >= LARGE_SET_VECTORS) d.joint = jointCodes(d);
  return d;
}

/**
 * Validates and bins (X, y, sampleWeight) for boosting. Errors are the ones `fit` throws, reported
 * under `label`.
 */
export function prepareBoosting(X: Matrix, y: Float64Array, sampleWeight?: Float64Array, label = 'HistGradientBoostingClassifier'): BoostPrepared {
  const ts = prepareTraining(label, X, y, sampleWeight, null);
  return { X, y, sampleWeight, ts, data: boostData(ts) };
}
