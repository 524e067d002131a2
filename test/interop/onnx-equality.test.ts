/**
 * The ONNX export scores as we do: for every exportable family (src/ml/onnx/families.test-helpers.ts),
 * probabilities from onnxruntime-node and from Python's onnxruntime (venv of scripts/interop-venv.sh)
 * equal our Predictor's within 1e-6, and the labels agree, on the bundled data (every row, with 1% of
 * the cells made missing so the imputer works) and on the benchmark's 220,000 rows drawn from the
 * training features' marginals (bench/ml/data.ts, seeded).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBenchData } from '../../bench/ml/data.js';
import { matrix, type Matrix } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';
import type { ModelBundle } from '../../src/ml/bundle.js';
import { exportOnnx } from '../../src/ml/onnx/export.js';
import { FAMILY_CASES, fitBundle } from '../../src/ml/onnx/families.test-helpers.js';
import { Predictor } from '../../src/pipeline/predictor.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const TOLERANCE = 1e-6;

interface Scores { proba: Float64Array; label: BigInt64Array }

/** Our probabilities as the n x 2 matrix of class order (-1, 1) and our labels. */
function ours(bundle: ModelBundle, X: Matrix): Scores {
  const p = Predictor.fromDecoded(bundle, 1).predict(X);
  const proba = new Float64Array(2 * X.rows);
  for (let i = 0; i < X.rows; i++) {
    proba[2 * i] = p.probPhishing[i]!;
    proba[2 * i + 1] = 1 - p.probPhishing[i]!;
  }
  return { proba, label: BigInt64Array.from(p.label, (v) => BigInt(v)) };
}

/** Largest probability difference and the rows whose labels differ (other than near-ties, reported apart). */
function compare(a: Scores, b: Scores): { maxDiff: number; labelMismatches: number; nearTies: number } {
  let maxDiff = 0;
  let labelMismatches = 0;
  let nearTies = 0;
  for (let i = 0; i < a.proba.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a.proba[i]! - b.proba[i]!));
  for (let i = 0; i < a.label.length; i++) {
    if (a.label[i] === b.label[i]) continue;
    if (Math.abs(a.proba[2 * i]! - 0.5) <= TOLERANCE) nearTies++;
    else labelMismatches++;
  }
  return { maxDiff, labelMismatches, nearTies };
}

describe('ONNX export equals our scorer in onnxruntime (Node and Python)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ns-onnx-eq-'));
  const data = loadBenchData(root, 220_000);
  const train = data.splits[1]!.train;
  const bundled = withMissing(data.all.X);
  const sets: Record<string, Matrix> = { bundled, drawn220k: data.big };
  const bundles = new Map<string, ModelBundle>();
  const file = (name: string): string => name.replace(/[^a-z0-9_]+/gi, '_');
  let python: { onnxruntime: string; onnx: string };

  beforeAll(async () => {
    for (const c of FAMILY_CASES) {
      const b = await fitBundle(c, train);
      bundles.set(c.name, b);
      writeFileSync(join(dir, `${file(c.name)}.onnx`), exportOnnx(b));
    }
    for (const [name, X] of Object.entries(sets)) {
      writeFileSync(join(dir, `rows-${name}.f64`), new Uint8Array(X.data.buffer, X.data.byteOffset, X.data.byteLength));
      writeFileSync(join(dir, `rows-${name}.json`), JSON.stringify({ rows: X.rows, cols: X.cols }));
    }
    const py = execFileSync('bash', [join(root, 'scripts/interop-venv.sh')], { encoding: 'utf8' }).trim();
    const out = execFileSync(py, [join(root, 'test/interop/ort_score.py'), dir], { encoding: 'utf8', maxBuffer: 1 << 20 });
    python = JSON.parse(out.trim().split('\n').pop()!) as typeof python;
  }, 600_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the Python onnxruntime of the interop venv', () => {
    expect(python.onnxruntime).toMatch(/^1\.\d+/);
  });

  describe.each(FAMILY_CASES.map((c) => [c.name]))('%s', (name) => {
    it.each(Object.keys(sets).map((s) => [s]))('on the %s rows', async (set) => {
      const bundle = bundles.get(name)!;
      const X = sets[set]!;
      const mine = ours(bundle, X);
      const session = await ort.InferenceSession.create(join(dir, `${file(name)}.onnx`), { intraOpNumThreads: 2 });
      const out = await session.run({ features: new ort.Tensor('float64', X.data, [X.rows, X.cols]) });
      await session.release();
      const node: Scores = { proba: out['probabilities']!.data as Float64Array, label: out['label']!.data as BigInt64Array };
      const read = (suffix: string): Buffer => readFileSync(join(dir, `${file(name)}.${set}.${suffix}`));
      const pb = read('proba.f64');
      const lb = read('label.i64');
      const py: Scores = {
        proba: new Float64Array(pb.buffer.slice(pb.byteOffset, pb.byteOffset + pb.byteLength)),
        label: new BigInt64Array(lb.buffer.slice(lb.byteOffset, lb.byteOffset + lb.byteLength)),
      };
      for (const [runtime, theirs] of [['onnxruntime-node', node], ['python onnxruntime', py]] as const) {
        expect(theirs.proba.length, runtime).toBe(2 * X.rows);
        const r = compare(mine, theirs);
        expect(r.maxDiff, `${runtime}: largest probability difference`).toBeLessThanOrEqual(TOLERANCE);
        expect(r.labelMismatches, `${runtime}: rows with another label`).toBe(0);
      }
    }, 120_000);
  });
});

/** A copy of X with 1% of its cells (seeded) set to NaN, the way a missing value reaches the model. */
function withMissing(X: Matrix): Matrix {
  const out = matrix(X.rows, X.cols, X.data.slice());
  const rng = new Rng(16);
  for (let t = 0; t < out.data.length; t++) if (rng.next() < 0.01) out.data[t] = NaN;
  return out;
}
