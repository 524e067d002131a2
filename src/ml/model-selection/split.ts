/**
 * Seeded train/test splits: stratified (each class keeps its share in test), and stable by group
 * (whole groups go to one side, taken in the order of a seeded hash of the group — with
 * `featureVectorGroups`, of the feature vector — so identical rows never straddle the split, each class
 * keeps its share, and a split carried forward never moves a vector).
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

export interface StableSplitOptions extends SplitOptions {
  /**
   * Sides already given to groups (1 = test, 0 = train), e.g. the previous run's split for the same
   * seed and test share: those groups keep their side; the others are placed so each class keeps its share.
   */
  sides?: ReadonlyMap<number, 0 | 1>;
}

/**
 * The stable, class-balanced leakage-aware split. Groups (with `featureVectorGroups`, distinct feature
 * vectors) never straddle the split. A group listed in `options.sides` keeps its side, so a vector
 * never changes side while its split is carried forward. The other groups are taken in the order of a
 * seeded hash of the group (`groupUnit(group, seed, SPLIT_SALT)`), and each goes to the test side when
 * that brings the test side's row count of every class closer to `testSize` x the class's rows (a
 * group counts its rows of each label): the test side is a seeded sample of vectors, and each class's
 * share on both sides is the whole's up to about one group's rows. With no `sides` the split is a
 * function of the data and the seed.
 */
export function stableGroupSplit(y: Float64Array, groups: Int32Array, options: StableSplitOptions): Split {
  checkTestSize(options.testSize);
  if (groups.length !== y.length) {
    throw new NsError('BAD_SHAPE', `Got ${groups.length} group ids for ${y.length} rows.`, { hint: 'Pass one group id per row.' });
  }
  const { yIndex, nClasses } = encodeLabels(y);
  const counts = new Map<number, Float64Array>();
  for (let i = 0; i < y.length; i++) {
    const g = groups[i]!;
    let c = counts.get(g);
    if (!c) counts.set(g, (c = new Float64Array(nClasses)));
    c[yIndex[i]!]!++;
  }
  // gap[c] = test rows of class c so far minus the target testSize x rows of class c.
  const gap = new Float64Array(nClasses);
  const side = new Map<number, 0 | 1>();
  const open: { g: number; u: number }[] = [];
  for (const [g, c] of counts) {
    const known = options.sides?.get(g);
    for (let k = 0; k < nClasses; k++) gap[k]! += (known === 1 ? c[k]! : 0) - options.testSize * c[k]!;
    if (known === undefined) open.push({ g, u: groupUnit(g, options.seed, SPLIT_SALT) });
    else side.set(g, known);
  }
  open.sort((a, b) => a.u - b.u || a.g - b.g);
  for (const { g } of open) {
    const c = counts.get(g)!;
    // Squared gap after minus before, summed over classes: negative when the group closes the gaps.
    let delta = 0;
    for (let k = 0; k < nClasses; k++) delta += c[k]! * (2 * gap[k]! + c[k]!);
    const s = delta < 0 ? 1 : 0;
    if (s === 1) for (let k = 0; k < nClasses; k++) gap[k]! += c[k]!;
    side.set(g, s);
  }
  // Tiny data: no group closed the gap; the first open group by hash goes to test rather than none.
  if (open.length > 0 && ![...side.values()].includes(1)) side.set(open[0]!.g, 1);
  const isTest = Uint8Array.from(groups, (g) => side.get(g)!);
  return toSplit(isTest);
}

/** Group id → side (1 test, 0 train) of a split, to carry it forward (`StableSplitOptions.sides`). */
export function splitSides(groups: Int32Array, split: Split): Map<number, 0 | 1> {
  const sides = new Map<number, 0 | 1>();
  for (const i of split.train) sides.set(groups[i]!, 0);
  for (const i of split.test) sides.set(groups[i]!, 1);
  return sides;
}

/** Share of rows with label `cls` among `rows` (0 for no rows). */
export function classShare(y: Float64Array, rows: Int32Array, cls: number): number {
  let n = 0;
  for (const i of rows) if (y[i] === cls) n++;
  return rows.length === 0 ? 0 : n / rows.length;
}
