import { describe, expect, it } from 'vitest';
import { matrix } from '../../core/matrix.js';
import { Rng } from '../../core/rng.js';
import type { CartOptions } from './cart.js';
import { buildCart, buildCartWeighted } from './cart.js';
import { buildCartPacked, packRows } from './cart-packed.js';
import { cartData, prepareTraining, vectorWeights } from './prepare.js';
import type { TreeArrays } from './tree.js';

/** Random data whose columns take `levels[f]` distinct values each; y depends on the first columns. */
function dataset(rows: number, levels: number[], seed: number): { X: ReturnType<typeof matrix>; y: Float64Array } {
  const rng = new Rng(seed);
  const cols = levels.length;
  const X = matrix(rows, cols);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let f = 0; f < cols; f++) X.data[i * cols + f] = rng.int(levels[f]!) - 1;
    const signal = X.data[i * cols]! + (cols > 1 ? X.data[i * cols + 1]! : 0);
    y[i] = signal + rng.normal() > 0.5 ? 1 : 0;
  }
  return { X, y };
}

const base: CartOptions = { criterion: 'gini', maxDepth: Infinity, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: 3, splitter: 'best' };

function plain(t: TreeArrays): Record<string, number[]> {
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Array.from(v as ArrayLike<number>)]));
}

/** The tree of both paths on bootstrap-weighted vectors of the dataset, grown from the same seed. */
function bothPaths(rows: number, levels: number[], opt: CartOptions, seed: number, scale = 1): { packed: TreeArrays | null; general: TreeArrays } {
  const { X, y } = dataset(rows, levels, seed);
  const ts = prepareTraining('test', X, y, undefined, null);
  const data = cartData(ts);
  const draw = new Rng(seed + 1);
  const mult = new Float64Array(rows);
  for (let k = 0; k < rows; k++) mult[draw.int(rows)]! += scale;
  const { w0, w1, cnt } = vectorWeights(ts.compact.rowOf, ts.target.y01, ts.rowWeight, ts.compact.n, mult);
  const packed = buildCartPacked(data, packRows(data.colBins, data.n, data.nFeatures, data.nBins), w0, w1, opt, new Rng(seed));
  const general = buildCartWeighted(data, w0, w1, cnt, opt, new Rng(seed));
  return { packed, general };
}

describe('packRows', () => {
  it('packs each vector row-major at the narrowest width that holds its largest bin', () => {
    const nBins = new Int32Array([3, 2, 3]);
    // Two vectors, column-major: f0 = [2, 0], f1 = [1, 1], f2 = [0, 2].
    const p = packRows(new Uint8Array([2, 0, 1, 1, 0, 2]), 2, 3, nBins);
    expect(p.width).toBe(2);
    expect(p.words).toBe(1);
    expect(Array.from(p.bits)).toEqual([2 | (1 << 2), 0 | (1 << 2) | (2 << 4)]);
    const wide = packRows(new Uint8Array(40), 1, 40, new Int32Array(40).fill(200));
    expect([wide.width, wide.words]).toEqual([8, 10]);
  });
});

describe('buildCartPacked', () => {
  const cases: [string, number[], Partial<CartOptions>][] = [
    ['ternary features (2 words per row)', Array<number>(30).fill(3), {}],
    ['ternary, 4 features per node', Array<number>(30).fill(3), { maxFeatures: 4 }],
    ['ternary, 5 features per node', Array<number>(30).fill(3), { maxFeatures: 5 }],
    ['ternary, 8 features per node', Array<number>(30).fill(3), { maxFeatures: 8 }],
    ['ternary, entropy, min leaf 3, depth 6', Array<number>(20).fill(3), { criterion: 'entropy', minSamplesLeaf: 3, maxDepth: 6 }],
    ['ternary, random splitter', Array<number>(12).fill(3), { splitter: 'random', maxFeatures: 4 }],
    ['binary features (1 word)', Array<number>(10).fill(2), { minSamplesSplit: 6 }],
    ['binary features, all examined', Array<number>(6).fill(2), { maxFeatures: 6 }],
    ['one binary feature', [2], { maxFeatures: 1 }],
    ['many-valued features (8-bit bins, 3 words)', [3, 3, 7, 40, 200, 9, 3, 5, 12, 3, 60], { maxFeatures: 5 }],
    ['many-valued, random splitter', [3, 40, 200, 9, 3, 5], { splitter: 'random', maxFeatures: 6 }],
  ];
  for (const [name, levels, opt] of cases) {
    it(`grows exactly the tree of the weighted path: ${name}`, () => {
      for (const seed of [1, 2, 3]) {
        const { packed, general } = bothPaths(600, levels, { ...base, ...opt }, seed);
        expect(packed!.feature.length).toBeGreaterThanOrEqual(3);
        expect(plain(packed!)).toEqual(plain(general));
      }
    });
  }

  it('holds class totals above 16 bits (large data sets) exactly', () => {
    // 600 rows drawn 300 times over: about 80,000 class-1 and 100,000 class-0 weight in all.
    const { packed, general } = bothPaths(600, Array<number>(30).fill(3), { ...base, maxFeatures: 5 }, 4, 300);
    expect(general.cover[0]).toBeGreaterThan(150_000);
    expect(plain(packed!)).toEqual(plain(general));
  });

  it('gives way to the weighted path, before drawing, when one vector outweighs its 32-bit row', () => {
    const { X, y } = dataset(400, Array<number>(8).fill(3), 6);
    const ts = prepareTraining('test', X, y, undefined, null);
    const data = cartData(ts);
    const { w0, w1, cnt } = vectorWeights(ts.compact.rowOf, ts.target.y01, ts.rowWeight, ts.compact.n);
    const u = w1.findIndex((v) => v > 0);
    w1[u] = 2 ** 24;
    cnt[u] = w0[u]! + w1[u];
    const rng = new Rng(3);
    expect(buildCartPacked(data, packRows(data.colBins, data.n, data.nFeatures, data.nBins), w0, w1, base, rng)).toBeNull();
    expect(rng.int(1_000_000)).toBe(new Rng(3).int(1_000_000));
    expect(plain(buildCart(data, w0, w1, cnt, base, new Rng(9)))).toEqual(plain(buildCartWeighted(data, w0, w1, cnt, base, new Rng(9))));
  });

  it('is the path buildCart takes for integer counts, and not for fractional weights', () => {
    const { X, y } = dataset(400, Array<number>(8).fill(3), 5);
    const ts = prepareTraining('test', X, y, undefined, null);
    const data = cartData(ts);
    const { w0, w1, cnt } = vectorWeights(ts.compact.rowOf, ts.target.y01, ts.rowWeight, ts.compact.n);
    const packed = buildCartPacked(data, packRows(data.colBins, data.n, data.nFeatures, data.nBins), w0, w1, base, new Rng(9));
    expect(plain(buildCart(data, w0, w1, cnt, base, new Rng(9)))).toEqual(plain(packed!));
    const half = (a: Float64Array): Float64Array => a.map((v) => v * 0.5);
    expect(plain(buildCart(data, half(w0), half(w1), cnt, base, new Rng(9)))).toEqual(plain(buildCartWeighted(data, half(w0), half(w1), cnt, base, new Rng(9))));
  });
});
