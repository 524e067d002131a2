import { afterAll, describe, expect, it } from 'vitest';
import { matrix } from '../../core/matrix.js';
import { Rng } from '../../core/rng.js';
import { closeSharedPool } from '../parallel/pool.js';
import { prepareBoosting } from './boost-prepared.js';
import { HistTeam, histTeamShared } from './boost-team.js';
import { BoostWorkspace, buildBoostTree } from './boost-tree.js';
import { stateDigest } from './boost.test-helpers.js';
import { HistGradientBoostingClassifier, LARGE_SET_VECTORS } from './hist-gradient-boosting.js';

afterAll(closeSharedPool);

/** Rows of 30 ternary features (nearly all distinct) with a label that depends on three of them plus noise. */
function ternaryRows(rows: number, seed: number): { X: ReturnType<typeof matrix>; y: Float64Array } {
  const rng = new Rng(seed);
  const X = matrix(rows, 30);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let f = 0; f < 30; f++) X.data[i * 30 + f] = rng.int(3) - 1;
    const s = X.data[i * 30]! + X.data[i * 30 + 5]! - X.data[i * 30 + 9]! + (rng.int(4) === 0 ? 2 : 0);
    y[i] = s > 0 ? 1 : -1;
  }
  return { X, y };
}

/** Log-loss-like (g, h) pairs of n vectors (shared memory, interleaved), a third of them positive. */
function randomGradients(n: number, seed: number): Float64Array {
  const gh = new Float64Array(new SharedArrayBuffer(16 * n));
  const rng = new Rng(seed);
  for (let u = 0; u < n; u++) {
    const p = 0.2 + 0.6 * rng.next();
    gh[2 * u] = p - (u % 3 === 0 ? 1 : 0);
    gh[2 * u + 1] = p * (1 - p);
  }
  return gh;
}

describe('boosting on large sets (histogram team)', () => {
  const { X, y } = ternaryRows(LARGE_SET_VECTORS + 8_000, 11);

  it('a team pass gives the tree of the plain builder: same splits, leaf values equal to rounding', () => {
    const { data: d } = prepareBoosting(X, y);
    const gh = randomGradients(d.n, 3);
    const L = 2 * d.binOffset[d.nFeatures]!;
    const opt = { learningRate: 0.1, maxDepth: 6, maxLeafNodes: Infinity, minChildWeight: 1, l2: 1 };
    const idxPlain = Int32Array.from({ length: d.n }, (_, u) => u);
    const plain = buildBoostTree(d, idxPlain, d.n, gh, opt, new BoostWorkspace(L));
    const idx = new Int32Array(new SharedArrayBuffer(4 * d.n));
    idx.set(idxPlain);
    const team = new HistTeam(histTeamShared(d, gh, idx, L));
    const teamed = buildBoostTree(d, idx, d.n, gh, opt, new BoostWorkspace(L, team, new Int32Array(d.n)));
    team.stop();
    expect(plain.feature.length).toBeGreaterThan(40);
    expect(Array.from(teamed.feature)).toEqual(Array.from(plain.feature));
    expect(Array.from(teamed.thresholdBin)).toEqual(Array.from(plain.thresholdBin));
    for (let k = 0; k < plain.value.length; k++) expect(teamed.value[k]).toBeCloseTo(plain.value[k]!, 12);
  });

  it('grows level by level (no leaf limit) the tree the best-first loop grows: same nodes, bits and row segments', () => {
    const { data: d } = prepareBoosting(X, y);
    const gh = randomGradients(d.n, 4);
    const L = 2 * d.binOffset[d.nFeatures]!;
    const idx = new Int32Array(new SharedArrayBuffer(4 * d.n));
    const team = new HistTeam(histTeamShared(d, gh, idx, L));
    const grow = (maxLeafNodes: number): { tree: ReturnType<typeof buildBoostTree>; ws: BoostWorkspace; order: number[] } => {
      for (let u = 0; u < d.n; u++) idx[u] = u;
      const ws = new BoostWorkspace(L, team, team.shared.scratch);
      const tree = buildBoostTree(d, idx, d.n, gh, { learningRate: 0.1, maxDepth: 6, maxLeafNodes, minChildWeight: 1, l2: 1 }, ws);
      return { tree, ws, order: Array.from(idx) };
    };
    // Infinity: level by level; a limit no tree reaches: the best-first loop.
    const levels = grow(Infinity);
    const bestFirst = grow(1e9);
    team.stop();
    const { tree: a } = levels;
    const { tree: b } = bestFirst;
    expect(a.feature.length).toBeGreaterThan(60);
    expect(Array.from(a.feature)).toEqual(Array.from(b.feature));
    expect(Array.from(a.thresholdBin)).toEqual(Array.from(b.thresholdBin));
    expect(Array.from(a.left)).toEqual(Array.from(b.left));
    expect(Array.from(a.value)).toEqual(Array.from(b.value));
    const nodes = a.feature.length;
    expect(Array.from(levels.ws.segStart.subarray(0, nodes))).toEqual(Array.from(bestFirst.ws.segStart.subarray(0, nodes)));
    expect(Array.from(levels.ws.segEnd.subarray(0, nodes))).toEqual(Array.from(bestFirst.ws.segEnd.subarray(0, nodes)));
    expect(levels.ws.deferred).toEqual(bestFirst.ws.deferred);
    expect(levels.order).toEqual(bestFirst.order);
  });

  it('partitions several segments in one pass as a stable filter would: left rows, then right, each in order', () => {
    const { data: d } = prepareBoosting(X, y);
    const idx = new Int32Array(new SharedArrayBuffer(4 * d.n));
    for (let u = 0; u < d.n; u++) idx[u] = u;
    const team = new HistTeam(histTeamShared(d, randomGradients(d.n, 5), idx, 2 * d.binOffset[d.nFeatures]!));
    // Segments of several sizes (one block, many blocks), on different features and thresholds.
    const cuts = [0, 1_000, 30_000, 30_001, d.n];
    const parts = cuts.slice(1).map((end, i) => ({ col: (3 * i) * d.n, thr: i % 2, start: cuts[i]!, end }));
    const want: number[] = [];
    const wantMids: number[] = [];
    for (const p of parts) {
      const rows = Array.from(idx.subarray(p.start, p.end));
      const left = rows.filter((u) => d.colBins[p.col + u]! <= p.thr);
      want.push(...left, ...rows.filter((u) => d.colBins[p.col + u]! > p.thr));
      wantMids.push(p.start + left.length);
    }
    const mids = team.partitionMany(parts);
    team.stop();
    expect(mids).toEqual(wantMids);
    expect(Array.from(idx)).toEqual(want);
  });

  it('fits the same model, bit for bit, with one thread and with two', async () => {
    const one = await new HistGradientBoostingClassifier({ maxIter: 6, maxDepth: 6, nJobs: 1 }).fit(X, y);
    const two = await new HistGradientBoostingClassifier({ maxIter: 6, maxDepth: 6, nJobs: 2 }).fit(X, y);
    const again = await new HistGradientBoostingClassifier({ maxIter: 6, maxDepth: 6, nJobs: 2 }).fit(X, y);
    expect(stateDigest(two.toState())).toBe(stateDigest(one.toState()));
    expect(stateDigest(again.toState())).toBe(stateDigest(two.toState()));
  });

  it('with subsampling too (held-out vectors walk the tree): the same model with one thread and two', async () => {
    expect(prepareBoosting(X, y).data.n).toBeGreaterThanOrEqual(40_000);
    const params = { maxIter: 5, maxDepth: 6, subsample: 0.7, randomState: 5 };
    const one = await new HistGradientBoostingClassifier({ ...params, nJobs: 1 }).fit(X, y);
    const two = await new HistGradientBoostingClassifier({ ...params, nJobs: 2 }).fit(X, y);
    expect(stateDigest(two.toState())).toBe(stateDigest(one.toState()));
  });
});
