/**
 * `train --preset original` through the CLI: the original project's five model families, each with its
 * whole grid cross-validated with 3 folds by the model-selection engine, each family's best refit and
 * scored on the test split; a family with a single setting (logistic regression) gets real CV scores;
 * the profile models choose among the families' chosen settings.
 */
import { describe, expect, it } from 'vitest';
import { originalSearchSpaces, parameterGrid } from '../../src/ml/model-selection/index.js';
import { bundledCsv, runCli, tempHome } from './cli-helpers.js';

interface Candidate {
  name: string; kind: string; params: Record<string, unknown>;
  cv: { f1: number; f1Std: number; folds: number[]; settings?: number };
  test: { f1Phishing: number; f1Legit: number };
}

describe('train --preset original', () => {
  it('searches the five families and their grids with 3-fold CV and reports every family', async () => {
    const home = tempHome();
    expect((await runCli(['etl', '--source', bundledCsv], home)).code).toBe(0);
    const r = await runCli(['train', '--preset', 'original', '--json'], home);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { candidates: Candidate[]; best: string; champion: number | null; profiles: { name: string; kind: string; params: Record<string, unknown> }[] };
    const spaces = originalSearchSpaces();
    const families = out.candidates.filter((c) => c.kind !== 'voting');
    expect(families.map((c) => c.kind)).toEqual(spaces.map((s) => s.kind));
    expect(families.map((c) => c.name)).toEqual(['Decision Tree', 'Random Forest', 'Gradient Boosting', 'Logistic Regression', 'AdaBoost']);
    for (const [i, c] of families.entries()) {
      const grid = spaces[i]!.grid;
      expect(c.cv.settings, c.name).toBe(parameterGrid(grid).length);
      expect(c.cv.folds, c.name).toHaveLength(3);
      expect(c.cv.f1).toBeCloseTo(c.cv.folds.reduce((a, b) => a + b, 0) / 3, 12);
      for (const [key, values] of Object.entries(grid)) expect(values, `${c.name} ${key}`).toContain(c.params[key]);
      expect(c.test.f1Legit).toBeGreaterThan(0.9);
    }
    expect(families.map((c) => c.cv.settings)).toEqual([3, 5, 120, 1, 18]);
    // The single-setting family: three different fold scores, a CV mean that is not its test score.
    const lr = families.find((c) => c.kind === 'logistic_regression')!;
    expect(new Set(lr.cv.folds).size).toBe(3);
    expect(lr.cv.f1).not.toBe(lr.test.f1Phishing);
    const best = out.candidates.find((c) => c.name === out.best)!;
    expect(best.cv.f1).toBe(Math.max(...out.candidates.map((c) => c.cv.f1)));
    expect(out.champion).toBe(1);
    expect(r.stderr).toMatch(/Gradient Boosting: cross-validated/);
    // The profile models choose among the settings the families got here; the grids are not searched again.
    const smaller = out.profiles.filter((p) => p.name !== 'all');
    expect(smaller).toHaveLength(2);
    for (const p of smaller) expect(families.find((c) => c.kind === p.kind)?.params, p.name).toEqual(p.params);
  }, 600_000);
});
