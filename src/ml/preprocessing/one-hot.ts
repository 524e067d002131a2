/**
 * One-hot encoder for the ternary features (for the linear and kernel models), after scikit-learn's
 * OneHotEncoder(sparse_output=False): each column becomes one 0/1 column per category seen in fit,
 * categories sorted ascending (NaN, if seen, is its own category, last). Unknown values give all-zero
 * columns with handleUnknown 'ignore', or an UNKNOWN_CATEGORY error with 'error'.
 *
 * @example
 *   const oh = oneHot.create(); const Z = oh.fitTransform(X); oh.featureNamesOut(columns);
 */
import { NsError } from '../../core/errors.js';
import { matrix, type Matrix } from '../../core/matrix.js';
import type { ModelState, TransformerFactory } from '../estimator.js';
import type { EncodedState } from '../linear/base.js';
import { FittedTransformer, type TransformerLearned } from './base.js';
import { checkParam } from './validation.js';

export interface OneHotParams {
  handleUnknown: 'error' | 'ignore';
}

export const oneHotDefaults: OneHotParams = { handleUnknown: 'error' };

interface OneHotState extends TransformerLearned {
  /** Categories of all columns, concatenated; column j owns categories[offsets[j] .. offsets[j+1]). */
  categories: Float64Array;
  offsets: Int32Array;
}

export class OneHotEncoder extends FittedTransformer<OneHotParams, OneHotState> {
  readonly kind = 'one_hot';

  protected learn(X: Matrix): OneHotState {
    const p = this.params;
    checkParam(p.handleUnknown === 'error' || p.handleUnknown === 'ignore', this.kind, 'handleUnknown', "'error' or 'ignore'", p.handleUnknown);
    const d = X.cols;
    const all: number[] = [];
    const offsets = new Int32Array(d + 1);
    for (let j = 0; j < d; j++) {
      const seen = new Set<number>();
      let nan = false;
      for (let i = 0; i < X.rows; i++) {
        const v = X.data[i * d + j]!;
        if (Number.isNaN(v)) nan = true;
        else seen.add(v);
      }
      const cats = Array.from(seen).sort((a, b) => a - b);
      if (nan) cats.push(NaN);
      all.push(...cats);
      offsets[j + 1] = all.length;
    }
    return { nFeatures: d, categories: Float64Array.from(all), offsets };
  }

  protected apply(s: OneHotState, X: Matrix): Matrix {
    const d = X.cols;
    const width = s.categories.length;
    const out = matrix(X.rows, width);
    for (let i = 0; i < X.rows; i++) {
      for (let j = 0; j < d; j++) {
        const v = X.data[i * d + j]!;
        let hit = -1;
        for (let c = s.offsets[j]!; c < s.offsets[j + 1]!; c++) {
          const cat = s.categories[c]!;
          if (cat === v || (Number.isNaN(cat) && Number.isNaN(v))) {
            hit = c;
            break;
          }
        }
        if (hit >= 0) out.data[i * width + hit] = 1;
        else if (this.params.handleUnknown === 'error') {
          throw new NsError('UNKNOWN_CATEGORY', `${this.kind}: value ${v} in column ${j} (row ${i}) was not seen in fit.`, {
            hint: "Fit on data covering every value, or set handleUnknown to 'ignore'.",
            details: { row: i, col: j },
          });
        }
      }
    }
    return out;
  }

  /** Output column names, `<input name>_<category>`, e.g. "SFH_-1". */
  featureNamesOut(inputNames: readonly string[]): string[] {
    const s = this.state();
    const names: string[] = [];
    for (let j = 0; j < s.nFeatures; j++) {
      for (let c = s.offsets[j]!; c < s.offsets[j + 1]!; c++) names.push(`${inputNames[j] ?? `x${j}`}_${s.categories[c]}`);
    }
    return names;
  }

  protected encode(s: OneHotState): EncodedState {
    return { json: { nFeatures: s.nFeatures }, arrays: { categories: s.categories, offsets: s.offsets } };
  }

  protected create(params: OneHotParams): OneHotEncoder {
    return new OneHotEncoder(params);
  }
}

/** Factory for the catalog (kind 'one_hot'). */
export const oneHot: TransformerFactory<OneHotParams> = {
  kind: 'one_hot',
  create: (params = {}) => new OneHotEncoder({ ...oneHotDefaults, ...params }),
  fromState: (state: ModelState) =>
    new OneHotEncoder({ ...oneHotDefaults, ...(state.params as Partial<OneHotParams>) }).restore({
      nFeatures: (state.json as { nFeatures: number }).nFeatures,
      categories: state.arrays.categories as Float64Array,
      offsets: state.arrays.offsets as Int32Array,
    }),
};
