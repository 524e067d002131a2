/**
 * k-nearest-neighbours classifier (brute force over a Float64Array copy of the training rows), after
 * scikit-learn's KNeighborsClassifier: Minkowski distance p = 1 or 2, `uniform` or `distance` weights
 * (with `distance`, rows at distance 0 take all the weight, as in scikit-learn). Neighbours at equal
 * distance are taken in training-row order. Ternary data (-1 / 0 / 1) takes a bit-mask fast path.
 *
 * @example
 *   const knn = await kNeighbors.create({ nNeighbors: 5 }).fit(X, y); knn.predictProba(Xtest);
 */
import { matrix, type Matrix } from '../../core/matrix.js';
import { NsError } from '../../core/errors.js';
import type { ClassifierFactory, FitOptions, ModelState } from '../estimator.js';
import { packTernary, popcount } from '../kernel/kernels.js';
import { ProbabilisticClassifier, type EncodedState, type LearnedBase, type SampledFitParams } from '../linear/base.js';
import { checkParam, checkXy } from '../preprocessing/validation.js';

export interface KNeighborsParams extends SampledFitParams {
  nNeighbors: number;
  weights: 'uniform' | 'distance';
  /** Minkowski power: 1 = Manhattan, 2 = Euclidean. */
  p: 1 | 2;
}

export const kNeighborsDefaults: KNeighborsParams = { nNeighbors: 5, weights: 'uniform', p: 2 };

interface KNeighborsState extends LearnedBase {
  fitX: Float64Array;
  fitY: Int32Array;
}

export class KNeighborsClassifier extends ProbabilisticClassifier<KNeighborsParams, KNeighborsState> {
  readonly kind = 'knn';

  protected train(X: Matrix, y: Float64Array, options: FitOptions): KNeighborsState {
    const p = this.params;
    if (options.sampleWeight !== undefined) {
      throw new NsError('UNSUPPORTED_OPTION', `${this.kind} does not use sample weights.`, { hint: "Use weights: 'distance' or another model for weighted data." });
    }
    checkParam(Number.isInteger(p.nNeighbors) && p.nNeighbors >= 1, this.kind, 'nNeighbors', 'a positive integer', p.nNeighbors);
    checkParam(p.weights === 'uniform' || p.weights === 'distance', this.kind, 'weights', "'uniform' or 'distance'", p.weights);
    checkParam(p.p === 1 || p.p === 2, this.kind, 'p', '1 or 2', p.p);
    const { classes, yIndex } = checkXy(X, y, this.kind);
    checkParam(p.nNeighbors <= X.rows, this.kind, 'nNeighbors', `at most the number of training rows (${X.rows})`, p.nNeighbors);
    return { classes, nFeatures: X.cols, fitX: X.data.slice(), fitY: yIndex };
  }

  protected proba(s: KNeighborsState, X: Matrix): Matrix {
    const K = s.classes.length;
    const k = this.params.nNeighbors;
    const d = X.cols;
    const n = s.fitY.length;
    const out = matrix(X.rows, K);
    // A sorted buffer of the k best (distance, index); k is small, so insertion beats a heap.
    const bestD = new Float64Array(k);
    const bestI = new Int32Array(k);
    const manhattan = this.params.p === 1;
    // Ternary data (the phishing features): distances from bit masks, see packTernary.
    const fitBits = packTernary(s.fitX, n, d);
    const queryBits = fitBits === undefined ? undefined : packTernary(X.data, X.rows, d);
    const words = fitBits?.words ?? 0;
    for (let q = 0; q < X.rows; q++) {
      const qo = q * d;
      let filled = 0;
      for (let r = 0; r < n; r++) {
        let dist = 0;
        if (fitBits !== undefined && queryBits !== undefined) {
          for (let w = 0; w < words; w++) {
            const pa = queryBits.pos[q * words + w]!;
            const na = queryBits.neg[q * words + w]!;
            const pb = fitBits.pos[r * words + w]!;
            const nb = fitBits.neg[r * words + w]!;
            // |a - b| is 1 where exactly one is non-zero and 2 where the signs are opposite.
            dist += popcount((pa | na) ^ (pb | nb)) + (manhattan ? 2 : 4) * popcount((pa & nb) | (na & pb));
          }
        } else {
          const ro = r * d;
          if (manhattan) {
            for (let j = 0; j < d; j++) dist += Math.abs(X.data[qo + j]! - s.fitX[ro + j]!);
          } else {
            for (let j = 0; j < d; j++) {
              const diff = X.data[qo + j]! - s.fitX[ro + j]!;
              dist += diff * diff;
            }
          }
        }
        if (filled === k && dist >= bestD[k - 1]!) continue;
        let pos = filled === k ? k - 1 : filled++;
        while (pos > 0 && bestD[pos - 1]! > dist) {
          bestD[pos] = bestD[pos - 1]!;
          bestI[pos] = bestI[pos - 1]!;
          pos--;
        }
        bestD[pos] = dist;
        bestI[pos] = r;
      }
      const row = out.data.subarray(q * K, (q + 1) * K);
      if (this.params.weights === 'uniform') {
        for (let t = 0; t < k; t++) row[s.fitY[bestI[t]!]!]! += 1;
      } else if (bestD[0] === 0) {
        for (let t = 0; t < k && bestD[t] === 0; t++) row[s.fitY[bestI[t]!]!]! += 1;
      } else {
        for (let t = 0; t < k; t++) row[s.fitY[bestI[t]!]!]! += 1 / (manhattan ? bestD[t]! : Math.sqrt(bestD[t]!));
      }
      let sum = 0;
      for (let c = 0; c < K; c++) sum += row[c]!;
      for (let c = 0; c < K; c++) row[c]! /= sum;
    }
    return out;
  }

  protected encode(s: KNeighborsState): EncodedState {
    return { json: { nFeatures: s.nFeatures }, arrays: { classes: s.classes, fitX: s.fitX, fitY: s.fitY } };
  }

  protected create(params: KNeighborsParams): KNeighborsClassifier {
    return new KNeighborsClassifier(params);
  }
}

/** Factory for the catalog (kind 'knn'). */
export const kNeighbors: ClassifierFactory<KNeighborsParams> = {
  kind: 'knn',
  create: (params = {}) => new KNeighborsClassifier({ ...kNeighborsDefaults, ...params }),
  fromState: (state: ModelState) =>
    new KNeighborsClassifier({ ...kNeighborsDefaults, ...(state.params as Partial<KNeighborsParams>) }).restore({
      classes: state.arrays.classes as Float64Array,
      nFeatures: (state.json as { nFeatures: number }).nFeatures,
      fitX: state.arrays.fitX as Float64Array,
      fitY: state.arrays.fitY as Int32Array,
    }),
};
