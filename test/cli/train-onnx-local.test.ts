/**
 * Without a tracking server, `train` writes no MLflow model folder (no ONNX export): the local tracker
 * keeps the bundle under model/ and nothing else there. With MLflow, test/interop/mlflow-pyfunc.test.ts
 * checks the full folder.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLocalTracker } from '../../src/adapters/tracking/index.js';
import { bundledCsv, runCli, tempHome } from './cli-helpers.js';

describe('train without a tracking server', () => {
  it('logs model/bundle.nsm locally but no MLflow model files', async () => {
    const home = tempHome();
    expect((await runCli(['etl', '--source', bundledCsv], home)).code).toBe(0);
    const train = await runCli(['train', '--json', '--preset', 'quick'], home);
    expect(train.code, train.stderr).toBe(0);
    const { runId } = JSON.parse(train.stdout) as { runId: string };
    const tracker = openLocalTracker(join(home, 'state.db'));
    try {
      const parent = (await tracker.listRuns()).find((r) => r.name === runId)!;
      const run = await tracker.getRun(parent.id);
      const modelFiles = run!.artifacts.map((a) => a.path).filter((p) => p.startsWith('model/'));
      expect(modelFiles).toEqual(['model/bundle.nsm']);
    } finally {
      tracker.close();
    }
  }, 600_000);
});
