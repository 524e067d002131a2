/**
 * Our side of the scale benchmark, one model family per process so the peak RSS is that fit's own:
 *   node --import tsx ours.ts <dataDir> <rows> <family> <reps> [predictRows]
 * Reads <dataDir>/train-<rows> and <dataDir>/test (int8 files of data.ts), fits once on the first
 * WARM_ROWS rows (warm-up: JIT of the code paths the timed fits run — 50,000 rows reach boosting's large-set
 * mode, 32,768 distinct vectors or more — and the worker thread started and answering; peer.py warms up
 * on as many rows), then `reps` timed fits on all rows (two threads: RF and boosting
 * nJobs 2), scores F1 (Result = 1 positive) on the test rows and, with predictRows, times batch
 * prediction of the first predictRows test rows on two threads (predictProbaAsync, nJobs 2).
 * Prints one JSON line: {"fit_s": [...], "fit_cpu_s": [...] (CPU seconds, all threads), "f1", "batch_s": [...], "max_rss_mb"}.
 */
import path from 'node:path';
import type { Dataset } from '../../src/core/matrix.js';
import { matrix } from '../../src/core/matrix.js';
import { closeSharedPool, sharedPool } from '../../src/ml/parallel/pool.js';
import { HistGradientBoostingClassifier, RandomForestClassifier } from '../../src/ml/trees/index.js';
import { f1Score } from '../../src/ml/trees/phishing.test-helpers.js';
import { readInt8 } from './data.js';

export type ScaleFamily = 'random_forest' | 'hist_gradient_boosting';

const make = (family: ScaleFamily): RandomForestClassifier | HistGradientBoostingClassifier =>
  family === 'random_forest'
    ? new RandomForestClassifier({ nEstimators: 100, nJobs: 2, randomState: 0 })
    : new HistGradientBoostingClassifier({ maxIter: 300, maxDepth: 6, learningRate: 0.1, randomState: 0, nJobs: 2 });

function head(ds: Dataset, rows: number): Dataset {
  const r = Math.min(rows, ds.X.rows);
  return { columns: ds.columns, X: matrix(r, ds.X.cols, ds.X.data.slice(0, r * ds.X.cols)), y: ds.y.slice(0, r) };
}

const [dir, rowsArg, familyArg, repsArg, predictArg] = process.argv.slice(2);
const family = familyArg as ScaleFamily;
const reps = Number(repsArg);
const columns = Array.from({ length: 30 }, (_, j) => `f${j}`);
const train = readInt8(path.join(dir!, `train-${rowsArg}`), columns);
/** Rows of the warm-up fit; peer.py uses the same number. */
const WARM_ROWS = 50_000;
const warm = head(train, WARM_ROWS);
await make(family).fit(warm.X, warm.y);
// A forest's fit does not wait for a worker that is still starting (it grows the trees itself); here the
// warm-up waits for it (up to 20 s, a loaded machine), so that the timed fits find the helper thread up.
await sharedPool(1).settle(20_000);
const fitS: number[] = [];
/** CPU seconds of the fit, all threads of the process (the helpers are worker threads). */
const cpuS: number[] = [];
let model = make(family);
for (let r = 0; r < reps; r++) {
  model = make(family);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await model.fit(train.X, train.y);
  fitS.push((performance.now() - t0) / 1000);
  const c = process.cpuUsage(c0);
  cpuS.push((c.user + c.system) / 1e6);
}
const test = readInt8(path.join(dir!, 'test'), columns);
const f1Rows = head(test, 50_000);
const f1 = f1Score(f1Rows.y, model.predict(f1Rows.X));
const batchS: number[] = [];
if (predictArg !== undefined) {
  const big = head(test, Number(predictArg));
  await model.predictProbaAsync(head(big, 50_000).X, { nJobs: 2 });
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    await model.predictProbaAsync(big.X, { nJobs: 2 });
    batchS.push((performance.now() - t0) / 1000);
  }
}
await closeSharedPool();
process.stdout.write(`${JSON.stringify({ fit_s: fitS, fit_cpu_s: cpuS, f1, batch_s: batchS, max_rss_mb: Math.round(process.resourceUsage().maxRSS / 102.4) / 10 })}\n`);
