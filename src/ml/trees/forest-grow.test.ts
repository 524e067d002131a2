import { afterAll, describe, expect, it } from 'vitest';
import { WorkerPool } from '../parallel/pool.js';
import type { ClaimedTrees } from './forest-grow.js';
import type { ClaimTask } from './forest-grow.js';
import { forestTask, growClaimedTrees, growForestTrees } from './forest-grow.js';
import { prepareTraining } from './prepare.js';
import { oneInformativeFeature, xor } from './toy.test-helpers.js';

const pool = new WorkerPool(1);
afterAll(async () => {
  await pool.close();
});

function claimTask(): ClaimTask {
  const { X, y } = oneInformativeFeature(300, 1);
  const ts = prepareTraining('test', X, y, undefined, null);
  const cart = { criterion: 'gini', maxDepth: Infinity, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: 2, splitter: 'best' } as const;
  return { ...forestTask(ts, cart, true, [11, 22, 33, 44, 55, 66, 77]), claim: new Int32Array(new SharedArrayBuffer(8)) };
}

describe('growClaimedTrees', () => {
  it('lets several claimers share the trees: each index grown once, each tree as growForestTrees grows it', () => {
    const task = claimTask();
    let grown = 0;
    const first = growClaimedTrees(task, () => grown >= 3, () => grown++);
    const rest = growClaimedTrees(task);
    expect(first.index).toEqual([0, 1, 2]);
    expect(rest.index).toEqual([3, 4, 5, 6]);
    expect(Atomics.load(task.claim, 1)).toBe(7);
    const all = growForestTrees(task);
    expect([...first.trees, ...rest.trees].map((t) => Array.from(t.value))).toEqual(all.map((t) => Array.from(t.value)));
    expect(growClaimedTrees(task).index).toEqual([]);
  });

  it('runs on a worker thread, claiming from the shared counter, with the same trees', async () => {
    const task = claimTask();
    const got = await pool.run<ClaimedTrees>('forest.growClaimed', task);
    expect(got.index).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(got.trees.map((t) => Array.from(t.value))).toEqual(growForestTrees(task).map((t) => Array.from(t.value)));
  });
});

describe('growForestTrees with unit row weights', () => {
  it('counts the bootstrap straight onto the vectors and grows the trees of the weighted path', () => {
    // Row weights of 2 take the general path (bootstrapCounts, vectorWeights, buildCart on real-valued
    // weights); unit weights the packed one. Gini splits and leaf shares do not change when every
    // weight doubles, covers and gains double.
    const { X, y } = xor(400, 3);
    const ts = prepareTraining('test', X, y, undefined, null);
    const cart = { criterion: 'gini', maxDepth: Infinity, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: 2, splitter: 'best' } as const;
    const unit = forestTask(ts, cart, true, [5, 6, 7]);
    const doubled = forestTask({ ...ts, rowWeight: ts.rowWeight.map((w) => 2 * w) }, cart, true, [5, 6, 7]);
    expect([unit.unitRows, doubled.unitRows]).toEqual([true, false]);
    const fast = growForestTrees(unit);
    const general = growForestTrees(doubled);
    for (let t = 0; t < fast.length; t++) {
      const a = fast[t]!;
      const b = general[t]!;
      expect(a.feature.length).toBeGreaterThan(3);
      expect(Array.from(a.feature)).toEqual(Array.from(b.feature));
      expect(Array.from(a.thresholdBin)).toEqual(Array.from(b.thresholdBin));
      expect(Array.from(a.value)).toEqual(Array.from(b.value));
      expect(Array.from(a.cover, (c) => 2 * c)).toEqual(Array.from(b.cover));
      expect(Array.from(a.gain, (g) => 2 * g)).toEqual(Array.from(b.gain));
    }
  });
});
