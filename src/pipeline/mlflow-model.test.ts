// The MLflow model folder of a bundle, and when it is skipped (no ONNX form; a graph too large).
import { describe, expect, it } from 'vitest';
import { matrix, type Dataset } from '../core/matrix.js';
import { Rng } from '../core/rng.js';
import { classifierFactory } from '../ml/catalog.js';
import { FAMILY_CASES, fitBundle } from '../ml/onnx/families.test-helpers.js';
import { mlflowModelOrSkip } from './mlflow-model.js';

function toyData(): Dataset {
  const rng = new Rng(3);
  const X = matrix(200, 3);
  const y = new Float64Array(200);
  for (let i = 0; i < 200; i++) {
    for (let j = 0; j < 3; j++) X.data[i * 3 + j] = rng.int(3) - 1;
    y[i] = X.data[i * 3]! + (rng.next() < 0.2 ? 1 : 0) > 0 ? 1 : -1;
  }
  return { columns: ['a', 'b', 'c'], X, y };
}

function reporter(): { progress: string[]; warnings: string[]; report: { progress(m: string): void; warn(m: string): void } } {
  const progress: string[] = [];
  const warnings: string[] = [];
  return { progress, warnings, report: { progress: (m) => progress.push(m), warn: (m) => warnings.push(m) } };
}

describe('mlflowModelOrSkip', () => {
  const input = (data: Dataset) => ({ example: data.X, bundleSha256: 'a'.repeat(64), createdAt: new Date(0).toISOString() });

  it('gives the MLflow model files of an exportable bundle', async () => {
    const data = toyData();
    const r = reporter();
    const files = mlflowModelOrSkip(await fitBundle(FAMILY_CASES[1]!, data), input(data), r.report);
    expect(Object.keys(files ?? {})).toEqual(expect.arrayContaining(['MLmodel', 'model.onnx', 'requirements.txt']));
    expect([r.progress, r.warnings]).toEqual([[], []]);
  });

  it('skips a graph over the size limit with one warning', async () => {
    const data = toyData();
    const r = reporter();
    expect(mlflowModelOrSkip(await fitBundle(FAMILY_CASES[1]!, data), { ...input(data), maxOnnxBytes: 5_000 }, r.report)).toBeUndefined();
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/^MLflow model: not written, .*would exceed 5,000 bytes/);
    expect(r.progress).toEqual([]);
  });

  it('skips a family with no ONNX form with one progress line', async () => {
    const data = toyData();
    const r = reporter();
    const bundle = await fitBundle({ name: 'knn', steps: [], model: () => classifierFactory('knn').create({}) }, data);
    expect(mlflowModelOrSkip(bundle, input(data), r.report)).toBeUndefined();
    expect(r.progress).toEqual([expect.stringMatching(/^MLflow model: not written \(The model family "knn" has no ONNX form/)]);
    expect(r.warnings).toEqual([]);
  });
});
