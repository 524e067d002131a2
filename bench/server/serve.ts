/**
 * The benchmark's server process: the real buildServer with in-memory deps and, as champion, a random
 * forest trained here on the bundled data (the project's own estimator, 100 trees). Adds the bare
 * constant endpoint the predict route is compared with, listens on a free loopback port and prints
 * `{"port": …, "model": …}` on stdout when ready.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromRows, type Matrix } from '../../src/core/matrix.js';
import { classifierFactory } from '../../src/ml/catalog.js';
import { buildServer } from '../../src/server/app.js';
import type { ScoringModel } from '../../src/server/deps.js';
import { fakeWorld, featureNames } from '../../src/server/fake-deps.test-helpers.js';

const root = process.argv[2] ?? process.cwd();
const lines = readFileSync(join(root, 'data/phisingData.csv'), 'utf8').trimEnd().split('\n').slice(1).map((l) => l.split(',').map(Number));
const X = fromRows(lines.map((r) => r.slice(0, 30)));
const y = Float64Array.from(lines, (r) => r[30]!);
const forest = await classifierFactory('random_forest').create({ nEstimators: 100 }).fit(X, y);
const phishingColumn = Array.from(forest.classes).indexOf(-1);

const model: ScoringModel = {
  version: 1,
  kind: forest.kind,
  featureNames: [...featureNames],
  predict(M: Matrix) {
    const proba = forest.predictProba(M);
    const label = new Float64Array(M.rows);
    const probPhishing = new Float64Array(M.rows);
    for (let i = 0; i < M.rows; i++) {
      const p = proba.data[i * proba.cols + phishingColumn]!;
      probPhishing[i] = p;
      label[i] = p >= 0.5 ? -1 : 1;
    }
    return { label, probPhishing };
  },
};

const world = fakeWorld({ limits: { predictPerMinute: 100_000_000, csvUploadBytes: 256 << 20, jsonBodyBytes: 1 << 20 } });
world.setModel(model);
const app = await buildServer(world.deps);
app.post('/bench/constant', () => ({ ok: true }));
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0, model: `${forest.kind} (100 trees, trained on the bundled data)` })}\n`);
process.on('SIGTERM', () => { void app.close().then(() => process.exit(0)); });
