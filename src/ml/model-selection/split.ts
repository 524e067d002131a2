/**
 * Seeded train/test splits: stratified (each class keeps its share in test), and group-aware
 * stratified (whole groups go to one side — with `featureVectorGroups`, identical rows never straddle
 * the split — while each class's share of test rows stays close to testSize).
 *
 * @example
 *   const { train, test } = stratifiedSplit(y, { testSize: 0.2, seed: 42 });
 *   const g = groupStratifiedSplit(y, featureVectorGroups(X), { testSize: 0.2, seed: 42 });
 */
import { NsError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';

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

/** Per-group class counts (groups x classes) and the group list. */
export function groupClassCounts(yIndex: Int32Array, nClasses: number, groups: Int32Array): { ids: number[]; counts: Map<number, Float64Array> } {
  if (groups.length !== yIndex.length) {
    throw new NsError('BAD_SHAPE', `Got ${groups.length} group ids for ${yIndex.length} rows.`, { hint: 'Pass one group id per row.' });
  }
  const counts = new Map<number, Float64Array>();
  for (let i = 0; i < groups.length; i++) {
    let c = counts.get(groups[i]!);
    if (c === undefined) {
      c = new Float64Array(nClasses);
      counts.set(groups[i]!, c);
    }
    c[yIndex[i]!]! += 1;
  }
  return { ids: Array.from(counts.keys()).sort((a, b) => a - b), counts };
}

/**
 * Group-aware stratified split: groups are visited in a seeded random order and a group joins the test
 * side when that brings the per-class test counts closer to testSize x class count. The order is not
 * sorted by size on purpose: visiting large groups first would fill the test side with the most
 * duplicated vectors, a biased (and on this data much harder) sample; a random order makes the test
 * side a fair sample of the groups.
 */
export function groupStratifiedSplit(y: Float64Array, groups: Int32Array, options: SplitOptions): Split {
  checkTestSize(options.testSize);
  const { yIndex, nClasses } = encodeLabels(y);
  const { ids, counts } = groupClassCounts(yIndex, nClasses, groups);
  const rng = new Rng(options.seed);
  rng.shuffle(ids);
  const target = new Float64Array(nClasses);
  for (let i = 0; i < y.length; i++) target[yIndex[i]!]! += options.testSize;
  const inTest = new Float64Array(nClasses);
  const testGroups = new Set<number>();
  for (const g of ids) {
    const c = counts.get(g)!;
    let gain = 0;
    for (let k = 0; k < nClasses; k++) gain += (inTest[k]! - target[k]!) ** 2 - (inTest[k]! + c[k]! - target[k]!) ** 2;
    if (gain > 0) {
      testGroups.add(g);
      for (let k = 0; k < nClasses; k++) inTest[k]! += c[k]!;
    }
  }
  const isTest = new Uint8Array(y.length);
  for (let i = 0; i < y.length; i++) if (testGroups.has(groups[i]!)) isTest[i] = 1;
  return toSplit(isTest);
}
