import { afterAll, describe, expect, it } from 'vitest';
import { WorkerPool } from '../parallel/pool.js';
import type { ClaimedTrees } from './forest-grow.js';
import type { ClaimTask } from './forest-grow.js';
import { forestTask, growClaimedTrees, growForestTrees } from './forest-grow.js';
import { prepareTraining } from './prepare.js';
import { oneInformativeFeature } from './toy.test-helpers.js';

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
