/**
 * `networksecurity worker`: runs queued jobs (training runs, ETL loads) from Redis (REDIS_URL), on any
 * number of machines. SIGTERM / Ctrl-C stops it cleanly: no new job is taken, a training run stops at
 * its next safe point and goes back to the queue (another worker resumes it from its last completed
 * stage), other jobs finish.
 */
import { ExitCode, NsError } from '../../core/errors.js';
import { PREDICT_QUEUE, preloadShardModel } from '../../main/batch-queue.js';
import { serveWorkerHttp } from '../../main/worker-http.js';
import type { CliCommand } from '../command.js';
import { num, str } from '../flags.js';

export const workerCommand: CliCommand = {
  name: 'worker',
  summary: 'Run queued jobs from Redis (REDIS_URL) with a /healthz and /metrics endpoint',
  usage: 'worker [--queues train,etl] [--concurrency N] [--host h] [--port p]',
  flags: [
    { name: 'queues', type: 'string', value: '<names>', description: 'comma-separated queues to serve (default: all)' },
    { name: 'concurrency', type: 'string', value: '<n>', description: 'jobs at once per queue (default 1)' },
    { name: 'host', type: 'string', value: '<host>', description: 'address of /healthz and /metrics (default NS_HOST or 127.0.0.1)' },
    { name: 'port', type: 'string', value: '<port>', description: 'port of /healthz and /metrics (default 8502; 0 = any free port)' },
  ],
  async run({ flags, ctx, io }) {
    const context = await ctx();
    const scale = context.scaleOut;
    if (!scale) throw new NsError('REDIS_REQUIRED', 'The worker needs a Redis to take jobs from.', { kind: 'config', hint: 'Set REDIS_URL (e.g. redis://127.0.0.1:6379) and run again.' });
    const all = [...scale.queue.handlers.keys()];
    const queues = (str(flags, 'queues') ?? all.join(',')).split(',').map((q) => q.trim()).filter(Boolean);
    if (queues.includes(PREDICT_QUEUE)) {
      // Batch-scoring shards use the champion: load it now, not in the first shard's job.
      const loaded = await preloadShardModel(context).catch((e: unknown) => {
        io.err(`worker: the champion could not be loaded ahead of batch scoring; each shard job loads its model (${(e as Error).message})`);
        return undefined;
      });
      if (loaded !== undefined) io.err(`worker: model v${loaded} loaded for batch scoring`);
    }
    const runtime = await scale.startWorkers({ queues, concurrency: num(flags, 'concurrency', 1, [1, 64]) });
    const http = await serveWorkerHttp(runtime, str(flags, 'host') ?? context.config.NS_HOST, num(flags, 'port', 8502, [0, 65535]));
    io.err(`worker serving ${queues.join(', ')} from ${scale.queue.describe()}; health and metrics on ${http.address}; Ctrl-C stops`);
    const signal = await new Promise<NodeJS.Signals>((done) => {
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    });
    io.err(`worker: ${signal}: stopping (no new jobs; running jobs finish or go back to the queue)`);
    await runtime.stop();
    await http.close();
    io.err('worker stopped');
    return ExitCode.ok;
  },
};
