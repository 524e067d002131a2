/**
 * The server benchmark's server process, on the production path: the context `serve` builds
 * (createContext on NS_HOME, embedded defaults), the champion loaded from the registry bundle by
 * createServerDeps exactly as `serve` does, and the real buildServer. Two differences, both stated in
 * the bench output: the per-client predict rate limit is raised (one client sends every request), and a
 * bare constant endpoint is added to the same server as the yardstick.
 *   node --import tsx bench/server/serve.ts <NS_HOME> forest|default
 * `forest`: when NS_HOME has no champion yet, the pipeline (ingest → push) trains one family, a
 * 100-tree random forest, on the records already loaded there. `default`: NS_HOME holds a champion
 * trained by `train` (default preset). Prints `{"port": …, "model": …}` on stdout when ready.
 */
import { silentLogger } from '../../src/core/logger.js';
import { pipelineOptions } from '../../src/cli/commands/train-options.js';
import { createContext } from '../../src/main/compose.js';
import { pipelineDeps } from '../../src/main/pipeline-deps.js';
import { createServerDeps } from '../../src/main/server-deps.js';
import { runPipeline } from '../../src/pipeline/runner.js';
import { buildServer, defaultLimits } from '../../src/server/index.js';

const [home, which] = process.argv.slice(2);
const env: Record<string, string | undefined> = { ...process.env, NS_HOME: home };
for (const k of ['MONGO_DB_URL', 'S3_BUCKET', 'MLFLOW_TRACKING_URI', 'REDIS_URL', 'NS_API_TOKEN']) delete env[k];
const ctx = await createContext(silentLogger, env);
const options = (): ReturnType<typeof pipelineOptions> => pipelineOptions({}, ctx.config.NS_SEED, silentLogger);
if (which === 'forest' && (await ctx.registry.list()).length === 0) {
  const plan = { preset: 'quick' as const, cvFolds: 2, candidates: [{ name: 'Random Forest', kind: 'random_forest', params: { nEstimators: 100, randomState: 1 }, grid: {} }] };
  await runPipeline(pipelineDeps(ctx), { options: { ...options(), plan, cvFolds: 2 }, fresh: true });
}
const serving = await createServerDeps(ctx, options);
const served = serving.deps.getModel();
if (served === undefined) throw new Error(`no champion in ${home}`);
const app = await buildServer({ ...serving.deps, limits: { ...defaultLimits, predictPerMinute: 1_000_000_000 } });
app.post('/bench/constant', () => ({ ok: true }));
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0, model: `v${served.version} ${served.kind}` })}\n`);
process.on('SIGTERM', () => { void serving.stop().then(() => app.close()).then(() => process.exit(0)); });
