/**
 * Test helpers for the boosting regression test: the fits whose models were saved (as digests) before
 * the builder was sped up, and the digest of a model state (every array's bytes and the JSON part).
 */
import { createHash } from 'node:crypto';
import type { Dataset } from '../../core/matrix.js';
import { takeDataset } from '../../core/matrix.js';
import type { ModelState } from '../estimator.js';
import type { HistGradientBoostingParams } from './hist-gradient-boosting.js';

export interface RegressionCase {
  name: string;
  params: Partial<HistGradientBoostingParams>;
  /** true: the first 2/3 of the training split (a search fold); false: all of it. */
  fold: boolean;
  weighted: boolean;
}

/** Settings covering subsampling, deep trees, early stopping, leaf limits and sample weights. */
export const REGRESSION_CASES: RegressionCase[] = [
  { name: 'depth3-sub0.6', params: { maxIter: 64, maxDepth: 3, learningRate: 0.05, subsample: 0.6, randomState: 3 }, fold: true, weighted: false },
  { name: 'depth6-full', params: { maxIter: 40, maxDepth: 6, learningRate: 0.1 }, fold: false, weighted: false },
  { name: 'early-stop', params: { maxIter: 200, learningRate: 0.3, earlyStopping: true, nIterNoChange: 5, subsample: 0.7, randomState: 4 }, fold: true, weighted: false },
  { name: 'leaf-limit', params: { maxIter: 10, maxDepth: null, maxLeafNodes: 9, subsample: 0.5, minChildWeight: 0, l2Regularization: 0 }, fold: true, weighted: false },
  { name: 'weighted', params: { maxIter: 30, maxDepth: 4, subsample: 0.8, randomState: 7 }, fold: true, weighted: true },
];

/** The rows and weights a case fits on. */
export function caseData(train: Dataset, c: RegressionCase): { ds: Dataset; sampleWeight: Float64Array | undefined } {
  const ds = c.fold ? takeDataset(train, Int32Array.from({ length: Math.floor((2 * train.X.rows) / 3) }, (_, i) => i)) : train;
  const sampleWeight = c.weighted ? Float64Array.from({ length: ds.X.rows }, (_, i) => 1 + (i % 3) * 0.5) : undefined;
  return { ds, sampleWeight };
}

/** SHA-256 over the state's kind, JSON part and every array (name, type, bytes), in key order. */
export function stateDigest(s: ModelState): string {
  const h = createHash('sha256');
  h.update(s.kind);
  h.update(JSON.stringify(s.json));
  for (const k of Object.keys(s.arrays).sort()) {
    const a = s.arrays[k]!;
    h.update(`${k}:${a.constructor.name}:${a.length}`);
    h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  return h.digest('hex');
}
