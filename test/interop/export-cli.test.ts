/**
 * `networksecurity models export <version> --format onnx --output model.onnx` from the real CLI: every
 * version of a quick run is exported, and
 * onnxruntime-node scores the bundled CSV as `networksecurity predict --model <version>` does; bad
 * arguments exit 2 with a typed error and write nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { parsePhishingCsv } from '../../src/ml/trees/phishing.test-helpers.js';
import { bundledCsv, runCli, tempHome } from '../cli/cli-helpers.js';

/** The CSV of `predict` writes probabilities with 6 decimals: up to 5e-7 of rounding on top of 1e-6. */
const CSV_TOLERANCE = 1e-6 + 5e-7;

describe('models export --format onnx', () => {
  it('exports every version of a run, and onnxruntime scores the bundled rows as predict does', async () => {
    const home = tempHome();
    expect((await runCli(['etl', '--source', bundledCsv], home)).code).toBe(0);
    const train = await runCli(['train', '--json', '--preset', 'quick'], home);
    expect(train.code, train.stderr).toBe(0);
    const list = JSON.parse((await runCli(['models', 'list', '--json'], home)).stdout) as { versions: { version: number; modelKind: string }[] };
    expect(list.versions.length).toBeGreaterThanOrEqual(1);
    const data = parsePhishingCsv(readFileSync(bundledCsv, 'utf8'));
    const input = new ort.Tensor('float64', data.X.data, [data.X.rows, data.X.cols]);
    for (const v of list.versions) {
      const out = join(home, `v${v.version}.onnx`);
      const res = await runCli(['models', 'export', String(v.version), '--format', 'onnx', '--output', out], home);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toContain(`model v${v.version} (${v.modelKind}) as ONNX`);
      const session = await ort.InferenceSession.create(out);
      expect(session.inputNames).toEqual(['features']);
      const scored = await session.run({ features: input });
      await session.release();
      const proba = scored['probabilities']!.data as Float64Array;
      const labels = scored['label']!.data as BigInt64Array;

      const csv = join(home, `scored-v${v.version}.csv`);
      expect((await runCli(['predict', '--input', bundledCsv, '--output', csv, '--model', String(v.version)], home)).code).toBe(0);
      const lines = readFileSync(csv, 'utf8').trim().split('\n');
      const header = lines[0]!.split(',');
      const [pi, li] = [header.indexOf('phishing_probability'), header.indexOf('prediction')];
      let maxDiff = 0;
      let labelDiffs = 0;
      lines.slice(1).forEach((line, i) => {
        const cells = line.split(',');
        maxDiff = Math.max(maxDiff, Math.abs(Number(cells[pi]) - proba[2 * i]!));
        if (Number(cells[li]) !== Number(labels[i])) labelDiffs++;
      });
      expect(lines.length - 1).toBe(data.X.rows);
      expect(maxDiff, `v${v.version} ${v.modelKind}`).toBeLessThanOrEqual(CSV_TOLERANCE);
      expect(labelDiffs, `v${v.version} ${v.modelKind}`).toBe(0);
    }

    const missing = await runCli(['models', 'export', '99', '--output', join(home, 'x.onnx')], home);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/MODEL_NOT_FOUND/);
    const format = await runCli(['models', 'export', '1', '--format', 'pmml', '--output', join(home, 'x.pmml')], home);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/BAD_FLAG_VALUE: --format must be one of onnx/);
    const noOutput = await runCli(['models', 'export', '1'], home);
    expect(noOutput.code).toBe(2);
    expect(noOutput.stderr).toMatch(/MISSING_FLAG: --output is required/);
    const badFolder = await runCli(['models', 'export', '1', '--output', join(home, 'no-such-folder', 'm.onnx')], home);
    expect(badFolder.code).toBe(2);
    expect(badFolder.stderr).toMatch(/OUTPUT_WRITE/);
    expect(existsSync(join(home, 'x.onnx')) || existsSync(join(home, 'x.pmml'))).toBe(false);
  }, 600_000);
});
