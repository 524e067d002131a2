import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../../core/matrix.js';
import { matrix } from '../../core/matrix.js';
import { closeSharedPool, toShared, WorkerPool } from '../parallel/pool.js';
import { AdaBoostClassifier } from './adaboost.js';
import type { FittedTrees } from './base.js';
import { forestScores, scalarScores, withPacked } from './flat-forest.js';
import { RandomForestClassifier } from './forest.js';
import { HistGradientBoostingClassifier } from './hist-gradient-boosting.js';
import { MASK_BLOCK, maskPlan, maskScores } from './mask-scores.js';
import type { SharedSort } from './shared-sort.js';
import { leadSort, sharedSort } from './shared-sort.js';
import type { SortJob } from './sort-rows.js';
import { sortJob, sortRows } from './sort-rows.js';
import type { BinMapper } from './binning.js';
import type { FlatForest } from './flat-forest.js';
import { marginalRows, PHISHING_CSV, phishingSplit } from './phishing.test-helpers.js';
import type { ClaimScoreTask } from './score-task.js';
import { scoreClaimedRows } from './score-task.js';
import { xor } from './toy.test-helpers.js';

const { train, test } = phishingSplit(readFileSync(PHISHING_CSV, 'utf8'));

const pool = new WorkerPool(1);
afterAll(async () => {
  await closeSharedPool();
  await pool.close();
});


const fittedOf = (m: object): FittedTrees => (m as unknown as { fitted: FittedTrees }).fitted;

/** Expects identical bits (Object.is also tells 0 from -0). */
function expectSameBits(a: Float64Array, b: Float64Array): void {
  expect(a.length).toBe(b.length);
  let differing = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) differing++;
  expect(differing).toBe(0);
}

/** A claim task whose rows are sorted by the threads together (shared-sort.ts). */
function sharedSortTask(forest: FlatForest, mapper: BinMapper, X: Matrix, job: SortJob, sort: SharedSort): ClaimScoreTask {
  return {
    forest: { ...forest, feature: toShared(forest.feature), thresholdBin: toShared(forest.thresholdBin), left: toShared(forest.left), value: toShared(forest.value), roots: toShared(forest.roots) },
    mapper, X: new Float64Array(0), cols: X.cols, out: toShared(new Float64Array(X.rows)), rowStart: 0, rowEnd: X.rows,
    claim: new Int32Array(new SharedArrayBuffer(4)), chunk: MASK_BLOCK, sorted: { bins: job.bins, perm: job.perm, stride: job.stride, shared: sort },
  };
}

describe('maskScores', () => {
  it('gives bit-identical scores to the scalar walk for forest, boosting and AdaBoost, on real and random rows', async () => {
    const models = [
      await new RandomForestClassifier({ nEstimators: 15, randomState: 1 }).fit(train.X, train.y),
      await new HistGradientBoostingClassifier({ maxIter: 40, maxDepth: 6, randomState: 2 }).fit(train.X, train.y),
      await new AdaBoostClassifier({ nEstimators: 20, randomState: 3 }).fit(train.X, train.y),
    ];
    // More than two 4,096-row blocks, so block boundaries and the restored row order are exercised.
    const random = marginalRows(train.X, 9000 + 37, 5);
    for (const model of models) {
      const { forest, mapper } = fittedOf(model);
      const plan = maskPlan(forest, mapper);
      expect(plan).not.toBeNull();
      for (const X of [test.X, random, matrix(64, random.cols, random.data.slice(0, 64 * random.cols))]) {
        expectSameBits(maskScores(forest, mapper, plan!, X), scalarScores(forest, mapper, X));
        expectSameBits(forestScores(forest, mapper, X), scalarScores(forest, mapper, X));
      }
      // One row at a time (the trees walked four at a time): the same bits as in a batch.
      const batch = maskScores(forest, mapper, plan!, random);
      const single = Float64Array.from({ length: 40 }, (_, i) => forestScores(forest, mapper, matrix(1, random.cols, random.data.slice(i * random.cols, (i + 1) * random.cols)))[0]!);
      expectSameBits(single, batch.subarray(0, 40));
    }
  });

  it('treats a threshold at or past a feature\'s last bin as always going left', async () => {
    const rf = await new RandomForestClassifier({ nEstimators: 3, maxDepth: 4, randomState: 4 }).fit(train.X, train.y);
    const { forest, mapper } = fittedOf(rf);
    const thresholdBin = forest.thresholdBin.slice();
    for (let k = 0; k < thresholdBin.length; k += 3) if (forest.feature[k]! >= 0) thresholdBin[k] = 200;
    const edited = withPacked({ ...forest, thresholdBin });
    const X = marginalRows(train.X, 300, 6);
    const plan = maskPlan(edited, mapper)!;
    expect(plan.cond.some((c) => c === plan.zero)).toBe(true);
    expectSameBits(maskScores(edited, mapper, plan, X), scalarScores(edited, mapper, X));
  });

  it('declines models whose features have many cut points, and forestScores still matches the scalar walk', async () => {
    const data = xor(400, 7);
    const rf = await new RandomForestClassifier({ nEstimators: 5, randomState: 8 }).fit(data.X, data.y);
    const { forest, mapper } = fittedOf(rf);
    expect(maskPlan(forest, mapper)).toBeNull();
    expectSameBits(forestScores(forest, mapper, data.X), scalarScores(forest, mapper, data.X));
  });

  it('predictProbaAsync on worker threads matches predictProba bit for bit', async () => {
    const gb = await new HistGradientBoostingClassifier({ maxIter: 20, maxDepth: 6, randomState: 9 }).fit(train.X, train.y);
    const rf = await new RandomForestClassifier({ nEstimators: 8, randomState: 9 }).fit(train.X, train.y);
    const X = marginalRows(train.X, 3 * MASK_BLOCK + 5, 10);
    expectSameBits((await gb.predictProbaAsync(X, { nJobs: 2 })).data, gb.predictProba(X).data);
    expectSameBits((await rf.predictProbaAsync(X, { nJobs: 2 })).data, rf.predictProba(X).data);
  });

  it('sorts rows lexicographically by the plan\'s key features and keeps every row exactly once', async () => {
    const rf = await new RandomForestClassifier({ nEstimators: 6, randomState: 13 }).fit(train.X, train.y);
    const { forest, mapper } = fittedOf(rf);
    const plan = maskPlan(forest, mapper)!;
    const X = marginalRows(train.X, 3000, 14);
    const { bins, perm, cols, stride } = sortRows(X, mapper, plan.order);
    expect(new Set(perm).size).toBe(X.rows);
    const key = (i: number): string => Array.from(plan.order, (f) => bins[i * stride + f]!).join(',');
    let ordered = true;
    for (let i = 1; i < X.rows; i++) if (key(i - 1) > key(i)) ordered = false;
    expect(ordered).toBe(true);
    // bins[i * cols + f] is the number of cut points of f below the value of row perm[i].
    for (let i = 0; i < X.rows; i += 97) {
      for (let f = 0; f < cols; f++) {
        let below = 0;
        for (let k = mapper.offsets[f]!; k < mapper.offsets[f + 1]!; k++) if (X.data[perm[i]! * cols + f]! > mapper.edges[k]!) below++;
        expect(bins[i * stride + f]).toBe(below);
      }
    }
  });

  it('scores claimed chunks of sorted rows on a worker thread, bit-identical to the scalar walk', async () => {
    const rf = await new RandomForestClassifier({ nEstimators: 10, randomState: 15 }).fit(train.X, train.y);
    const { forest, mapper } = fittedOf(rf);
    const X = marginalRows(train.X, 2 * MASK_BLOCK + 100, 16);
    const sorted = sortRows(X, mapper, maskPlan(forest, mapper)!.order);
    const task: ClaimScoreTask = {
      forest: { ...forest, feature: toShared(forest.feature), thresholdBin: toShared(forest.thresholdBin), left: toShared(forest.left) },
      mapper, X: new Float64Array(0), cols: X.cols, out: toShared(new Float64Array(X.rows)), rowStart: 0, rowEnd: X.rows,
      claim: new Int32Array(new SharedArrayBuffer(4)), chunk: MASK_BLOCK, sorted: { bins: toShared(sorted.bins), perm: toShared(sorted.perm), stride: sorted.stride },
    };
    expect(await pool.run<number>('forest.scoreClaimed', task)).toBe(3);
    expectSameBits(task.out, scalarScores(forest, mapper, X));
  });

  it('bins and sorts rows together with a worker (shared-sort.ts), then scores bit-identically to the scalar walk', async () => {
    const gb = await new HistGradientBoostingClassifier({ maxIter: 15, maxDepth: 6, randomState: 17 }).fit(train.X, train.y);
    const { forest, mapper } = fittedOf(gb);
    const plan = maskPlan(forest, mapper)!;
    const X = marginalRows(train.X, 2 * MASK_BLOCK + 300, 18);
    const job = sortJob(X.rows, X.cols, mapper, plan.order, true);
    const sort = sharedSort(job, toShared(X.data), 700);
    const task = sharedSortTask(forest, mapper, X, job, sort);
    const theirs = pool.run<number>('forest.scoreClaimed', task);
    leadSort(sort, () => {
      throw new Error('no bad value here');
    });
    const mine = scoreClaimedRows(task, plan);
    expect(mine + (await theirs)).toBe(3);
    // Every piece was binned and moved once, and the rows are where this thread's own sort puts them.
    const pieces = Math.ceil(X.rows / 700);
    expect([sort.state[1], sort.state[2], sort.state[5]]).toEqual([pieces, 1, pieces]);
    const alone = sortRows(X, mapper, plan.order);
    expect(Array.from(job.perm)).toEqual(Array.from(alone.perm));
    expect(Array.from(job.bins)).toEqual(Array.from(alone.bins));
    expectSameBits(task.out, scalarScores(forest, mapper, X));
  });

  it('stops a shared sort on a non-finite value: the check runs, and a worker scores nothing', async () => {
    const rf = await new RandomForestClassifier({ nEstimators: 4, randomState: 19 }).fit(train.X, train.y);
    const { forest, mapper } = fittedOf(rf);
    const plan = maskPlan(forest, mapper)!;
    const X = marginalRows(train.X, MASK_BLOCK + 10, 20);
    X.data[5 * X.cols + 3] = Number.NaN;
    const job = sortJob(X.rows, X.cols, mapper, plan.order, true);
    const sort = sharedSort(job, toShared(X.data), 512);
    const task = sharedSortTask(forest, mapper, X, job, sort);
    const theirs = pool.run<number>('forest.scoreClaimed', task);
    expect(() => leadSort(sort, () => {
      throw new Error('found the NaN');
    })).toThrow('found the NaN');
    expect(await theirs).toBe(0);
    expect(sort.state[2]).toBe(-1);
    await expect(rf.predictProbaAsync(X, { nJobs: 2 })).rejects.toMatchObject({ code: 'NON_FINITE_INPUT' });
  });

  it('scores claimed chunks on a worker thread into shared memory, bit-identical to the scalar walk', async () => {
    const rf = await new RandomForestClassifier({ nEstimators: 10, randomState: 11 }).fit(train.X, train.y);
    const { forest, mapper } = fittedOf(rf);
    const X = marginalRows(train.X, 3000, 12);
    const task: ClaimScoreTask = {
      forest: { ...forest, feature: toShared(forest.feature), thresholdBin: toShared(forest.thresholdBin), left: toShared(forest.left) },
      mapper, X: toShared(X.data), cols: X.cols, out: toShared(new Float64Array(X.rows)), rowStart: 0, rowEnd: X.rows,
      claim: new Int32Array(new SharedArrayBuffer(4)), chunk: 512,
    };
    expect(await pool.run<number>('forest.scoreClaimed', task)).toBe(6);
    expectSameBits(task.out, scalarScores(forest, mapper, X));
  });
});
