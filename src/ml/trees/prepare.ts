/**
 * Turns (X, y, sample weights) into what the tree builders consume: checked 0/1 labels, cut points,
 * the distinct bin vectors, and one base weight per original row (sample weight x class weight).
 */
import type { Matrix } from '../../core/matrix.js';
import type { BinMapper } from './binning.js';
import { binColumns, binCount, fitBinMapper } from './binning.js';
import type { CartData } from './cart.js';
import type { CompactBins } from './compact.js';
import { compactBins } from './compact.js';
import type { BinaryTarget, ClassWeight } from './validate.js';
import { checkFitInput, resolveClassWeight } from './validate.js';

export interface TrainingSet {
  target: BinaryTarget;
  mapper: BinMapper;
  compact: CompactBins;
  nBins: Int32Array;
  /** Weight of each original row before any bootstrap. */
  rowWeight: Float64Array;
}

/** Validates and bins the training data. */
export function prepareTraining(label: string, X: Matrix, y: Float64Array, sampleWeight: Float64Array | undefined, classWeight: ClassWeight): TrainingSet {
  const target = checkFitInput(label, X, y, sampleWeight);
  const cw = resolveClassWeight(label, classWeight, target);
  const mapper = fitBinMapper(X);
  const compact = compactBins(binColumns(X, mapper), X.rows, X.cols);
  const nBins = new Int32Array(X.cols);
  for (let f = 0; f < X.cols; f++) nBins[f] = binCount(mapper, f);
  const rowWeight = new Float64Array(X.rows);
  for (let i = 0; i < X.rows; i++) rowWeight[i] = (sampleWeight ? sampleWeight[i]! : 1) * cw[target.y01[i]!]!;
  return { target, mapper, compact, nBins, rowWeight };
}

/** The CART view of a training set. */
export function cartData(ts: TrainingSet): CartData {
  return {
    n: ts.compact.n, nFeatures: ts.compact.nFeatures, colBins: ts.compact.colBins, nBins: ts.nBins,
    edges: ts.mapper.edges, offsets: ts.mapper.offsets,
  };
}

/** Sums row weights onto the distinct vectors: w0/w1 per class, cnt = rows (times `multiplicity`). */
export function vectorWeights(
  rowOf: Int32Array, y01: Uint8Array, rowWeight: Float64Array, n: number, multiplicity?: Float64Array,
): { w0: Float64Array; w1: Float64Array; cnt: Float64Array } {
  const w0 = new Float64Array(n);
  const w1 = new Float64Array(n);
  const cnt = new Float64Array(n);
  for (let i = 0; i < rowOf.length; i++) {
    const k = multiplicity ? multiplicity[i]! : 1;
    if (k === 0) continue;
    const u = rowOf[i]!;
    if (y01[i] === 1) w1[u]! += k * rowWeight[i]!;
    else w0[u]! += k * rowWeight[i]!;
    cnt[u]! += k;
  }
  return { w0, w1, cnt };
}
