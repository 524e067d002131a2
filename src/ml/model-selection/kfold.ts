/**
 * Cross-validation folds: StratifiedKFold (each class dealt evenly over the folds, optionally after a
 * seeded shuffle) and group folds (whole groups per fold, each group's fold a seeded hash of the group,
 * so a feature vector's fold is stable as the data grows).
 *
 * @example
 *   for (const { train, test } of stratifiedKFold(y, 5, { seed: 0 })) { ... }
 *   stratifiedGroupKFold(y, featureVectorGroups(X), 3, { seed: 0 });
 */
import { NsError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { FOLD_SALT, groupUnit } from './groups.js';
import { encodeLabels, type Split } from './split.js';

export interface KFoldOptions {
  /** stratifiedKFold: shuffle before dealing rows to folds; default true. */
  shuffle?: boolean;
  seed?: number;
}

function checkK(k: number, n: number, what: string): void {
  if (!Number.isInteger(k) || k < 2 || k > n) {
    throw new NsError('BAD_PARAM', `Cross-validation needs an integer number of folds between 2 and ${n} ${what}, got ${k}.`, {
      kind: 'config',
      hint: 'Use e.g. 3 or 5 folds, and at least as many rows (groups) as folds.',
    });
  }
}

function foldsFromIds(foldOf: Int32Array, k: number): Split[] {
  const out: Split[] = [];
  for (let f = 0; f < k; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < foldOf.length; i++) (foldOf[i] === f ? test : train).push(i);
    out.push({ train: Int32Array.from(train), test: Int32Array.from(test) });
  }
  return out;
}

/** k stratified folds; every row is in exactly one test fold. */
export function stratifiedKFold(y: Float64Array, k: number, options: KFoldOptions = {}): Split[] {
  checkK(k, y.length, 'rows');
  const { yIndex, nClasses } = encodeLabels(y);
  const rng = new Rng(options.seed ?? 0);
  const foldOf = new Int32Array(y.length);
  let offset = 0;
  for (let c = 0; c < nClasses; c++) {
    const members: number[] = [];
    for (let i = 0; i < y.length; i++) if (yIndex[i] === c) members.push(i);
    if (options.shuffle !== false) rng.shuffle(members);
    // Continue the round-robin across classes so fold sizes differ by at most one.
    members.forEach((i, r) => (foldOf[i] = (offset + r) % k));
    offset = (offset + members.length) % k;
  }
  return foldsFromIds(foldOf, k);
}

/**
 * k folds of whole groups, each group's fold a seeded hash of the group (`groupUnit` with FOLD_SALT):
 * with `featureVectorGroups`, a vector's fold never changes as rows are added or removed, like its side
 * of the holdout split, and identical rows are always in one fold. Classes are balanced only up to
 * sampling noise (the hash ignores labels). When the hash leaves a fold empty (a handful of groups),
 * the groups are dealt round-robin in hash order instead, so every fold has rows.
 */
export function stratifiedGroupKFold(y: Float64Array, groups: Int32Array, k: number, options: KFoldOptions = {}): Split[] {
  if (groups.length !== y.length) {
    throw new NsError('BAD_SHAPE', `Got ${groups.length} group ids for ${y.length} rows.`, { hint: 'Pass one group id per row.' });
  }
  const seed = options.seed ?? 0;
  const unitOf = new Map<number, number>();
  for (const g of groups) if (!unitOf.has(g)) unitOf.set(g, groupUnit(g, seed, FOLD_SALT));
  checkK(k, unitOf.size, 'groups');
  const foldOfGroup = new Map<number, number>();
  const used = new Uint8Array(k);
  for (const [g, u] of unitOf) {
    const f = Math.floor(u * k);
    foldOfGroup.set(g, f);
    used[f] = 1;
  }
  if (used.includes(0)) {
    const byUnit = [...unitOf.entries()].sort((a, b) => a[1] - b[1] || a[0] - b[0]);
    byUnit.forEach(([g], r) => foldOfGroup.set(g, r % k));
  }
  const foldOf = Int32Array.from(groups, (g) => foldOfGroup.get(g)!);
  return foldsFromIds(foldOf, k);
}
