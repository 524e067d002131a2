/**
 * GET /api/v1/jobs: the job queues (training runs, ETL loads, batch-scoring shards) with their counts
 * per state and their latest jobs — failed ones with the reason — for the Jobs page. Without REDIS_URL
 * every job runs in the server's process and nothing is queued: `backend` is null.
 */
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../context.js';
import type { JobsOverview } from '../deps.js';

export function registerJobs(app: FastifyInstance, ctx: RouteContext): void {
  const { deps } = ctx;
  app.get('/api/v1/jobs', async (): Promise<JobsOverview> => (deps.jobs ? deps.jobs() : { backend: null, queues: [] }));
}
