/**
 * KNN imputer, after scikit-learn's KNNImputer (the original project used nNeighbors = 3): a missing
 * value in column c of a row is the (uniform or 1/distance weighted) mean of column c over the k
 * nearest fitted rows that have column c observed. Distance is scikit-learn's nan_euclidean:
 *   sqrt(nFeatures / nBothObserved * sum over both-observed coordinates of (a - b)^2),
 * undefined when no coordinate is observed in both. A row whose distances to all donors are undefined
 * gets the column mean. Among equal distances the earlier fitted row is preferred (scikit-learn's
 * argpartition order is unspecified there, so parity is exact only without distance ties).
 *
 * @example
 *   const imp = knnImputer.create({ nNeighbors: 3 }); const Xf = imp.fitTransform(X);
 */
import { matrix, type Matrix } from '../../core/matrix.js';
import type { ModelState, TransformerFactory } from '../estimator.js';
import type { EncodedState } from '../linear/base.js';
import { FittedTransformer, rejectEmptyColumns, type TransformerLearned } from './base.js';
import { checkParam } from './validation.js';

export interface KNNImputerParams {
  nNeighbors: number;
  weights: 'uniform' | 'distance';
}

export const knnImputerDefaults: KNNImputerParams = { nNeighbors: 5, weights: 'uniform' };

interface KNNImputerState extends TransformerLearned {
  fitX: Float64Array;
  nRows: number;
  colMean: Float64Array;
}

export class KNNImputer extends FittedTransformer<KNNImputerParams, KNNImputerState> {
  readonly kind = 'knn_imputer';

  protected learn(X: Matrix): KNNImputerState {
    const p = this.params;
    checkParam(Number.isInteger(p.nNeighbors) && p.nNeighbors >= 1, this.kind, 'nNeighbors', 'a positive integer', p.nNeighbors);
    checkParam(p.weights === 'uniform' || p.weights === 'distance', this.kind, 'weights', "'uniform' or 'distance'", p.weights);
    rejectEmptyColumns(X, this.kind);
    const d = X.cols;
    const colMean = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      let s = 0;
      let c = 0;
      for (let i = 0; i < X.rows; i++) {
        const v = X.data[i * d + j]!;
        if (!Number.isNaN(v)) {
          s += v;
          c++;
        }
      }
      colMean[j] = s / c;
    }
    return { nFeatures: d, fitX: X.data.slice(), nRows: X.rows, colMean };
  }

  protected apply(s: KNNImputerState, X: Matrix): Matrix {
    const d = X.cols;
    const n = s.nRows;
    const F = s.fitX;
    const out = matrix(X.rows, d, X.data.slice());
    const dist = new Float64Array(n);
    const k = this.params.nNeighbors;
    const byDistance = this.params.weights === 'distance';
    const bestD = new Float64Array(k);
    const bestV = new Float64Array(k);
    for (let i = 0; i < X.rows; i++) {
      const o = i * d;
      let anyMissing = false;
      for (let j = 0; j < d && !anyMissing; j++) anyMissing = Number.isNaN(X.data[o + j]!);
      if (!anyMissing) continue;
      // nan_euclidean distance from row i to every fitted row (NaN when no shared coordinate).
      for (let r = 0; r < n; r++) {
        const ro = r * d;
        let ss = 0;
        let present = 0;
        for (let j = 0; j < d; j++) {
          const a = X.data[o + j]!;
          const b = F[ro + j]!;
          if (!Number.isNaN(a) && !Number.isNaN(b)) {
            ss += (a - b) * (a - b);
            present++;
          }
        }
        dist[r] = present === 0 ? NaN : Math.sqrt((ss * d) / present);
      }
      for (let c = 0; c < d; c++) {
        if (!Number.isNaN(X.data[o + c]!)) continue;
        // The k nearest donors with column c observed and a defined distance, kept sorted.
        let filled = 0;
        for (let r = 0; r < n; r++) {
          const v = F[r * d + c]!;
          if (Number.isNaN(v)) continue;
          const dr = dist[r]!;
          if (Number.isNaN(dr)) continue;
          if (filled === k && dr >= bestD[k - 1]!) continue;
          let pos = filled === k ? k - 1 : filled++;
          while (pos > 0 && bestD[pos - 1]! > dr) {
            bestD[pos] = bestD[pos - 1]!;
            bestV[pos] = bestV[pos - 1]!;
            pos--;
          }
          bestD[pos] = dr;
          bestV[pos] = v;
        }
        if (filled === 0) {
          out.data[o + c] = s.colMean[c]!;
          continue;
        }
        // scikit-learn's candidates with an undefined distance weigh 0, so only the defined ones count.
        out.data[o + c] = byDistance ? distanceMean(bestD, bestV, filled) : uniformMean(bestV, filled);
      }
    }
    return out;
  }

  protected encode(s: KNNImputerState): EncodedState {
    return { json: { nFeatures: s.nFeatures, nRows: s.nRows }, arrays: { fitX: s.fitX, colMean: s.colMean } };
  }

  protected create(params: KNNImputerParams): KNNImputer {
    return new KNNImputer(params);
  }
}

function uniformMean(v: Float64Array, m: number): number {
  let s = 0;
  for (let t = 0; t < m; t++) s += v[t]!;
  return s / m;
}

/** 1/distance weights; donors at distance 0 take all the weight (scikit-learn's _get_weights). */
function distanceMean(dist: Float64Array, v: Float64Array, m: number): number {
  if (dist[0] === 0) {
    let s = 0;
    let c = 0;
    for (let t = 0; t < m && dist[t] === 0; t++) {
      s += v[t]!;
      c++;
    }
    return s / c;
  }
  let s = 0;
  let w = 0;
  for (let t = 0; t < m; t++) {
    const wt = 1 / dist[t]!;
    s += wt * v[t]!;
    w += wt;
  }
  return s / w;
}

/** Factory for the catalog (kind 'knn_imputer'). */
export const knnImputer: TransformerFactory<KNNImputerParams> = {
  kind: 'knn_imputer',
  create: (params = {}) => new KNNImputer({ ...knnImputerDefaults, ...params }),
  fromState: (state: ModelState) => {
    const j = state.json as { nFeatures: number; nRows: number };
    return new KNNImputer({ ...knnImputerDefaults, ...(state.params as Partial<KNNImputerParams>) }).restore({
      nFeatures: j.nFeatures,
      nRows: j.nRows,
      fitX: state.arrays.fitX as Float64Array,
      colMean: state.arrays.colMean as Float64Array,
    });
  },
};
