/**
 * Groups of identical feature vectors. The bundled data has about 11k rows but only 5.8k distinct
 * feature vectors; a random split puts copies of a test row in the training set and inflates scores.
 * Splitting by these groups keeps every copy on one side.
 *
 * @example
 *   const groups = featureVectorGroups(X); // rows with equal features share a group id
 */
import type { Matrix } from '../../core/matrix.js';

/**
 * Group id per row (0, 1, 2 … in order of first appearance); rows with identical feature values share
 * an id (NaN equals NaN here, so identical rows with the same missing cells are grouped too).
 */
export function featureVectorGroups(X: Matrix): Int32Array {
  const ids = new Int32Array(X.rows);
  const seen = new Map<string, number>();
  const d = X.cols;
  for (let i = 0; i < X.rows; i++) {
    const key = X.data.subarray(i * d, (i + 1) * d).join(',');
    let id = seen.get(key);
    if (id === undefined) {
      id = seen.size;
      seen.set(key, id);
    }
    ids[i] = id;
  }
  return ids;
}
