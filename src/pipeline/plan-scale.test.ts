import { describe, expect, it } from 'vitest';
import { trainingPlan } from './plan.js';
import { FEWER_FOLDS_ROWS, KERNEL_MAX_ROWS, ONE_SETTING_VECTORS, planForData, TWO_FOLDS_ROWS } from './plan-scale.js';

const all = new Set(['logistic_regression', 'decision_tree', 'random_forest', 'extra_trees', 'hist_gradient_boosting', 'adaboost', 'svc', 'knn', 'naive_bayes']);
const { plan } = trainingPlan('default', all);

describe('planForData', () => {
  it('leaves the plan alone at the bundled data size', () => {
    const r = planForData(plan, 5, { rows: 8_844, distinctShare: 0.52 });
    expect(r.plan).toEqual(plan);
    expect(r.cvFolds).toBe(5);
    expect(r.decisions).toEqual([]);
  });

  it('drops kernel SVC and k-NN above the kernel limit, and says so', () => {
    const r = planForData(plan, 5, { rows: KERNEL_MAX_ROWS + 1, distinctShare: 1 });
    expect(r.plan.candidates.map((c) => c.kind)).not.toContain('svc');
    expect(r.plan.candidates.map((c) => c.kind)).not.toContain('knn');
    expect(r.plan.candidates).toHaveLength(plan.candidates.length - 2);
    expect(r.cvFolds).toBe(5);
    expect(r.decisions).toEqual([expect.stringMatching(/^SVC and KNN left out: 20,001 training rows > 20,000.*Logistic Regression/)]);
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
    expect(big.decisions).toHaveLength(3);
    expect(big.decisions[2]).toMatch(/280,000 distinct training vectors/);
  });

  it('runs the other presets as written', () => {
    const quick = trainingPlan('quick', all).plan;
    expect(planForData(quick, 5, { rows: 1_000_000, distinctShare: 1 })).toEqual({ plan: quick, cvFolds: 5, decisions: [] });
  });
});
