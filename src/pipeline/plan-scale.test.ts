import { describe, expect, it } from 'vitest';
import { trainingPlan } from './plan.js';
import { expectedSeconds, FEWER_FOLDS_ROWS, formatSeconds, KERNEL_MAX_ROWS, KNN_SAMPLE_ROWS, ONE_SETTING_VECTORS, planForData, PROFILE_SAMPLE_ROWS, ROWS_PER_LEAF_ROW, SVC_SAMPLE_ROWS, TWO_FOLDS_ROWS } from './plan-scale.js';

const all = new Set(['logistic_regression', 'decision_tree', 'random_forest', 'extra_trees', 'hist_gradient_boosting', 'adaboost', 'svc', 'knn', 'naive_bayes']);
const { plan } = trainingPlan('default', all);

describe('planForData', () => {
  it('leaves the plan alone at the bundled data size', () => {
    const r = planForData(plan, 5, { rows: 8_844, distinctShare: 0.52 });
    expect(r.plan).toEqual(plan);
    expect(r.cvFolds).toBe(5);
    expect(r.decisions).toEqual([]);
  });

  it('fits kernel SVC and k-NN on a stratified sample above the kernel limit, and says so', () => {
    const r = planForData(plan, 5, { rows: KERNEL_MAX_ROWS + 1, distinctShare: 1 });
    expect(r.plan.candidates).toHaveLength(plan.candidates.length);
    expect(r.plan.candidates.find((c) => c.kind === 'svc')!.params).toEqual({ ...plan.candidates.find((c) => c.kind === 'svc')!.params, maxRows: SVC_SAMPLE_ROWS });
    expect(r.plan.candidates.find((c) => c.kind === 'knn')!.params.maxRows).toBe(KNN_SAMPLE_ROWS);
    expect(r.cvFolds).toBe(5);
    expect(r.decisions).toEqual([
      expect.stringMatching(/^SVC fit on a stratified sample of 10,000 rows: 20,001 training rows > 20,000/),
      expect.stringMatching(/^KNN fit on a stratified sample of 5,000 rows/),
    ]);
  });

  it('uses fewer folds as rows grow', () => {
    expect(planForData(plan, 5, { rows: FEWER_FOLDS_ROWS, distinctShare: 0.1 }).cvFolds).toBe(3);
    expect(planForData(plan, 5, { rows: TWO_FOLDS_ROWS, distinctShare: 0.1 }).cvFolds).toBe(2);
    expect(planForData(plan, 2, { rows: FEWER_FOLDS_ROWS, distinctShare: 0.1 }).cvFolds).toBe(2);
  });

  it('cuts tree grids and forest sizes by distinct vectors, not rows', () => {
    const dup = planForData(plan, 5, { rows: 2 * ONE_SETTING_VECTORS, distinctShare: 0.25 });
    expect(dup.plan.candidates.find((c) => c.kind === 'random_forest')).toEqual(plan.candidates.find((c) => c.kind === 'random_forest'));
    const big = planForData(plan, 5, { rows: 400_000, distinctShare: 0.7 });
    const rf = big.plan.candidates.find((c) => c.kind === 'random_forest')!;
    expect(rf.params.nEstimators).toBe(100);
    expect(rf.grid).toEqual({ maxFeatures: ['sqrt'] });
    expect(big.plan.candidates.find((c) => c.kind === 'hist_gradient_boosting')!.grid).toEqual({ learningRate: [0.05] });
    expect(big.decisions).toHaveLength(6);
    expect(big.decisions[3]).toMatch(/280,000 distinct training vectors/);
  });

  it('bounds forest leaves by rows from the one-setting size on, and says so', () => {
    const big = planForData(plan, 5, { rows: 400_000, distinctShare: 0.7 });
    for (const kind of ['random_forest', 'extra_trees']) expect(big.plan.candidates.find((c) => c.kind === kind)!.params.minSamplesLeaf).toBe(400_000 / ROWS_PER_LEAF_ROW);
    expect(big.plan.candidates.find((c) => c.kind === 'decision_tree')!.params.minSamplesLeaf).toBeUndefined();
    expect(big.decisions[4]).toBe('Random Forest, Extra Trees: leaves of at least 10 rows (one per 40,000 training rows), so that the model\'s size stays bounded as rows grow.');
    expect(planForData(plan, 5, { rows: 1_000_001, distinctShare: 0.5 }).plan.candidates.find((c) => c.kind === 'random_forest')!.params.minSamplesLeaf).toBe(26);
    // Below the one-setting size (counted in distinct vectors) leaves stay as the preset wrote them.
    const dup = planForData(plan, 5, { rows: 400_000, distinctShare: 0.2 });
    expect(dup.plan.candidates.find((c) => c.kind === 'random_forest')!.params.minSamplesLeaf).toBeUndefined();
    expect(dup.decisions.some((d) => d.includes('leaves'))).toBe(false);
  });

  it('fits the profile models on a sample above PROFILE_SAMPLE_ROWS training rows, and says so', () => {
    expect(planForData(plan, 5, { rows: PROFILE_SAMPLE_ROWS, distinctShare: 1 }).profileRows).toBeUndefined();
    const big = planForData(plan, 5, { rows: 400_000, distinctShare: 0.7 });
    expect(big.profileRows).toBe(PROFILE_SAMPLE_ROWS);
    expect(big.decisions[5]).toBe('profile models (URL + page + fetch, URL only) cross-validated and fit on a stratified sample of 100,000 of the 400,000 training rows.');
  });

  it('runs the other presets as written', () => {
    const quick = trainingPlan('quick', all).plan;
    expect(planForData(quick, 5, { rows: 1_000_000, distinctShare: 1 })).toEqual({ plan: quick, cvFolds: 5, decisions: [] });
  });
});

describe('expectedSeconds', () => {
  it('grows with rows, shrinks with threads and with the scaled plan, and names every candidate', () => {
    const small = expectedSeconds(plan, 5, { rows: 8_844, distinctShare: 0.52, testRows: 2_211 }, 2);
    const big = planForData(plan, 5, { rows: 400_000, distinctShare: 0.7 });
    const large = expectedSeconds(big.plan, big.cvFolds, { rows: 400_000, distinctShare: 0.7, testRows: 100_000 }, 2);
    expect(Object.keys(large.perCandidate)).toEqual(plan.candidates.map((c) => c.name));
    expect(large.seconds).toBeGreaterThan(5 * small.seconds);
    expect(expectedSeconds(big.plan, big.cvFolds, { rows: 400_000, distinctShare: 0.7, testRows: 100_000 }, 1).seconds).toBeCloseTo(2 * large.seconds, 6);
    const unscaled = expectedSeconds(plan, 5, { rows: 400_000, distinctShare: 0.7, testRows: 100_000 }, 2);
    expect(unscaled.seconds).toBeGreaterThan(3 * large.seconds);
    // k-NN on its sample: every scored row against 5,000 fit rows.
    expect(large.perCandidate.KNN).toBeCloseTo(1.14 * (500_000 / 20_000), 6);
  });

  it('counts a tree-count grid as one fit with its largest count (the search scores the others as its prefixes)', () => {
    const size = { rows: 8_844, distinctShare: 0.52, testRows: 2_211 };
    const one = (grid: Record<string, readonly unknown[]>, params: Record<string, unknown> = {}): number =>
      expectedSeconds({ ...plan, candidates: [{ name: 'RF', kind: 'random_forest', params, grid }] }, 3, size, 1).seconds;
    expect(one({ nEstimators: [8, 16, 32, 128, 256] })).toBeCloseTo(one({}, { nEstimators: 256 }), 9);
    // Other grid parameters still count each setting: each adds the same cross-validation fits.
    const depths = (k: number): number => one({ nEstimators: [8, 256], maxDepth: [4, 8, 16].slice(0, k) });
    expect(depths(1)).toBeCloseTo(one({}, { nEstimators: 256 }), 9);
    expect(depths(3) - depths(2)).toBeGreaterThan(0);
    expect(depths(3) - depths(2)).toBeCloseTo(depths(2) - depths(1), 9);
    // Out-of-bag scoring turns the prefixes off: every count is its own fit.
    const oob = (k: number): number => one({ nEstimators: [100, 100, 100].slice(0, k) }, { oobScore: true });
    expect(oob(2) - oob(1)).toBeGreaterThan(0);
    expect(oob(3) - oob(2)).toBeCloseTo(oob(2) - oob(1), 9);
  });

  it('prints short and long times', () => {
    expect(formatSeconds(42.4)).toBe('42 s');
    expect(formatSeconds(425)).toBe('7 min 5 s');
  });
});
