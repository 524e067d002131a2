/**
 * Groups of identical feature vectors, and the seeded hash that places a group on a side of the
 * holdout split and in a cross-validation fold. The bundled data has about 11k rows but only 5.8k
 * distinct feature vectors; a random split puts copies of a test row in the training set and inflates
 * scores. Splitting by these groups keeps every copy on one side.
 *
 * A group's id is a hash of the vector's values, not its position in the data, so the same vector gets
 * the same id in any data set: its side and fold (`groupUnit`) never change as rows are added or removed.
 *
 * @example
 *   const groups = featureVectorGroups(X); // rows with equal features share a group id
 *   const u = groupUnit(groups[0], 42, SPLIT_SALT); // in [0, 1), a function of the vector and the seed
 */
import { sha256 } from '../../core/hash.js';
import type { Matrix } from '../../core/matrix.js';

/** Salts of the two uses of groupUnit, so a group's side and its fold are independent draws. */
export const SPLIT_SALT = 1;
export const FOLD_SALT = 2;

const ID_SPACE = 0x80000000;

/**
 * Group id per row: the first 31 bits of the sha256 of the row's values (non-negative); rows with
 * identical feature values share an id (NaN equals NaN here, so identical rows with the same missing
 * cells are grouped too). Two different vectors whose hashes collide (about 1 in 10,000 vectors at
 * 200,000 distinct vectors) are told apart by probing the next free id in order of appearance — the
 * only case where an id depends on the other rows.
 */
export function featureVectorGroups(X: Matrix): Int32Array {
  const ids = new Int32Array(X.rows);
  const idOfKey = new Map<string, number>();
  const taken = new Set<number>();
  const d = X.cols;
  for (let i = 0; i < X.rows; i++) {
    const key = X.data.subarray(i * d, (i + 1) * d).join(',');
    let id = idOfKey.get(key);
    if (id === undefined) {
      id = parseInt(sha256(key).slice(0, 8), 16) >>> 1;
      while (taken.has(id)) id = (id + 1) % ID_SPACE;
      taken.add(id);
      idOfKey.set(key, id);
    }
    ids[i] = id;
  }
  return ids;
}

function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A number in [0, 1) that depends only on the group id, the seed and the salt (murmur3's finaliser
 * over the three): uniform over groups, so a threshold on it samples groups without looking at the rest
 * of the data.
 */
export function groupUnit(group: number, seed: number, salt: number): number {
  return fmix32(fmix32(group ^ Math.imul(salt, 0x9e3779b1)) ^ (seed >>> 0)) / 4294967296;
}
