/**
 * Seeded train/test splits: stratified (each class keeps its share in test), and stable by group
 * (whole groups go to one side, decided by a seeded hash of the group — with `featureVectorGroups`, of
 * the feature vector — so identical rows never straddle the split and a vector's side never changes).
 *
 * @example
 *   const { train, test } = stratifiedSplit(y, { testSize: 0.2, seed: 42 });
 *   const g = stableGroupSplit(y, featureVectorGroups(X), { testSize: 0.2, seed: 42 });
 */
import { NsError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { groupUnit, SPLIT_SALT } from './groups.js';

export interface SplitOptions {
  /** Fraction of rows in the test part, in (0, 1). */
  testSize: number;
  seed: number;
}

export interface Split {
  /** Row indices, ascending. */
  train: Int32Array;
  test: Int32Array;
}

function checkTestSize(testSize: number): void {
  if (!(testSize > 0 && testSize < 1)) {
    throw new NsError('BAD_PARAM', `testSize must be between 0 and 1 (exclusive), got ${testSize}.`, { kind: 'config', hint: 'Use e.g. 0.2 for an 80/20 split.' });
  }
}

/** Class index per row and the class count, for labels of any values. */
export function encodeLabels(y: Float64Array): { yIndex: Int32Array; nClasses: number } {
  const classes = Array.from(new Set(y)).sort((a, b) => a - b);
  const index = new Map(classes.map((c, k) => [c, k]));
  return { yIndex: Int32Array.from(y, (v) => index.get(v)!), nClasses: classes.length };
}

function toSplit(isTest: Uint8Array): Split {
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < isTest.length; i++) (isTest[i] ? test : train).push(i);
  if (train.length === 0 || test.length === 0) {
    throw new NsError('SPLIT_EMPTY', `The split left ${train.length} training and ${test.length} test rows.`, { hint: 'Use more data or a testSize further from 0 and 1.' });
  }
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}

/**
 * At most `maxRows` row indices (ascending), each class keeping its share (rounded, at least one row
 * of every class), drawn by a seeded shuffle per class; every row when there are no more than maxRows.
 */
export function stratifiedSample(y: Float64Array, maxRows: number, seed: number): Int32Array {
  if (y.length <= maxRows) return Int32Array.from(y, (_, i) => i);
  const { yIndex, nClasses } = encodeLabels(y);
  const rng = new Rng(seed);
  const keep = new Uint8Array(y.length);
  for (let c = 0; c < nClasses; c++) {
    const members: number[] = [];
    for (let i = 0; i < y.length; i++) if (yIndex[i] === c) members.push(i);
    rng.shuffle(members);
    const take = Math.max(1, Math.floor((maxRows * members.length) / y.length));
    for (let k = 0; k < take; k++) keep[members[k]!] = 1;
  }
  const out: number[] = [];
  for (let i = 0; i < y.length; i++) if (keep[i]) out.push(i);
  return Int32Array.from(out);
}

/** Stratified random split: round(testSize x count) rows of each class go to test. */
export function stratifiedSplit(y: Float64Array, options: SplitOptions): Split {
  checkTestSize(options.testSize);
  const { yIndex, nClasses } = encodeLabels(y);
  const rng = new Rng(options.seed);
  const isTest = new Uint8Array(y.length);
  for (let c = 0; c < nClasses; c++) {
    const members: number[] = [];
    for (let i = 0; i < y.length; i++) if (yIndex[i] === c) members.push(i);
    rng.shuffle(members);
    const nTest = Math.round(options.testSize * members.length);
    for (let k = 0; k < nTest; k++) isTest[members[k]!] = 1;
  }
  return toSplit(isTest);
}

/**
 * The stable leakage-aware split: a group (with `featureVectorGroups`, a distinct feature vector) goes
 * to the test side when `groupUnit(group, seed, SPLIT_SALT) < testSize`. The side is a function of the
 * vector and the seed alone, so it never changes as rows are added or removed, and identical rows never
 * straddle the split. Classes are not balanced by construction — a rule that looked at the other groups
 * could not be stable — but the hash is independent of the label, so each side's class share is the
 * whole's up to sampling noise; `classShare` measures it.
 */
export function stableGroupSplit(y: Float64Array, groups: Int32Array, options: SplitOptions): Split {
  checkTestSize(options.testSize);
  if (groups.length !== y.length) {
    throw new NsError('BAD_SHAPE', `Got ${groups.length} group ids for ${y.length} rows.`, { hint: 'Pass one group id per row.' });
  }
  const isTest = new Uint8Array(y.length);
  const sideOf = new Map<number, number>();
  for (let i = 0; i < y.length; i++) {
    const g = groups[i]!;
    let side = sideOf.get(g);
    if (side === undefined) {
      side = groupUnit(g, options.seed, SPLIT_SALT) < options.testSize ? 1 : 0;
      sideOf.set(g, side);
    }
    isTest[i] = side;
  }
  return toSplit(isTest);
}

/** Share of rows with label `cls` among `rows` (0 for no rows). */
export function classShare(y: Float64Array, rows: Int32Array, cls: number): number {
  let n = 0;
  for (const i of rows) if (y[i] === cls) n++;
  return rows.length === 0 ? 0 : n / rows.length;
}
