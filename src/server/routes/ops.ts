/**
 * Operations and discovery: /healthz (process up), /readyz (a champion is loaded, or why not), /metrics
 * (Prometheus), GET /api/v1/schema (feature names and allowed values) and GET /api/v1/model (the
 * champion being served).
 */
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../context.js';

/** Registers the operational routes. */
export function registerOps(app: FastifyInstance, ctx: RouteContext): void {
  const { deps } = ctx;

  app.get('/healthz', () => ({ status: 'ok' }));

  app.get('/readyz', (_request, reply) => {
    const model = deps.getModel();
    if (!model) {
      const problem = deps.modelProblem?.();
      const error = problem
        ? { code: 'CHAMPION_UNLOADABLE', message: `The champion cannot be served: ${problem.code}: ${problem.message}`, hint: 'Roll back or promote another version (Models page, POST /api/v1/models/rollback).' }
        : { code: 'MODEL_NOT_READY', message: 'No champion model is loaded yet.', hint: 'Train or promote a model.' };
      return reply.code(503).send({ ready: false, error });
    }
    return { ready: true, modelVersion: model.version };
  });

  app.get('/metrics', async (_request, reply) =>
    reply.type(ctx.metrics.contentType).send(await ctx.metrics.render(deps.getModel()?.version)));

  app.get('/api/v1/schema', () => ({
    features: deps.schema.features,
    target: deps.schema.target,
    aliases: deps.schema.aliases,
    allowedValues: [-1, 0, 1],
    labels: { '-1': 'phishing', '1': 'legitimate' },
    hash: deps.schema.hash,
  }));

  app.get('/api/v1/model', () => {
    const model = ctx.requireModel();
    return { version: model.version, kind: model.kind, featureNames: model.featureNames, explains: typeof model.contributions === 'function' };
  });
}
