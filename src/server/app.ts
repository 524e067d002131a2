/**
 * buildServer: the Fastify instance with every route, the error handler, limits, rate limiting,
 * metrics and the static UI. It does not listen; the caller does (`await app.listen({ host, port })`).
 *
 * @example
 *   const app = await buildServer(deps);
 *   await app.listen({ host: '127.0.0.1', port: 8501 });
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { NsError } from '../core/errors.js';
import { routeContext } from './context.js';
import type { ServerDeps } from './deps.js';
import { sendError } from './errors.js';
import { ServerMetrics } from './metrics.js';
import { rowSchema } from './api-schemas.js';
import { registerOpenApi } from './openapi.js';
import { crossSiteGuard } from './origin.js';
import { requestLogOptions } from './request-log.js';
import { registerAnalyze } from './routes/analyze.js';
import { registerJobs } from './routes/jobs.js';
import { registerMlflow } from './routes/mlflow.js';
import { registerNotes } from './routes/notes.js';
import { registerOip } from './routes/oip.js';
import { registerOps } from './routes/ops.js';
import { registerPredictCsv } from './routes/predict-csv.js';
import { registerPredict } from './routes/predict.js';
import { registerRegistry } from './routes/registry.js';
import { registerRuns } from './routes/runs.js';

const packageRoot = new URL('../../', import.meta.url);

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('package.json', packageRoot), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

const csp = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** Builds the HTTP server (not listening). */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  // Bodies are validated as they are written: no type coercion ("1" stays text, true is not 1) and no
  // silent removal of unknown fields, so the schema in the OpenAPI document is exactly what is accepted.
  const app = Fastify({ ...requestLogOptions(deps.requestLog), ajv: { customOptions: { coerceTypes: false, removeAdditional: false } }, bodyLimit: deps.limits.jsonBodyBytes, trustProxy: false, return503OnClosing: true, forceCloseConnections: true });
  const metrics = new ServerMetrics();
  const version = deps.appVersion ?? packageVersion();
  const ctx = routeContext(deps, metrics, version);

  app.setErrorHandler((err, request, reply) => sendError(request, reply, err, deps.logger));
  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, new NsError('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}.`, { kind: 'not_found', hint: 'See /api/docs for the routes.' }), deps.logger));

  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  app.addHook('onRequest', crossSiteGuard(deps.allowedHosts ?? []));

  // CSV bodies reach the handler as a stream, so they are parsed while they arrive and limited by count.
  app.addContentTypeParser('text/csv', (_request, payload, done) => done(null, payload));
  await app.register(multipart, { limits: { fileSize: deps.limits.csvUploadBytes, files: 1, fields: 5 } });

  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html')) reply.header('content-security-policy', csp);
    done(null, payload);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.config?.metricsRoute ?? request.routeOptions.url ?? 'unmatched';
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  app.addSchema(rowSchema(deps.schema));
  await registerOpenApi(app, version);
  registerOps(app, ctx);
  registerPredict(app, ctx);
  registerPredictCsv(app, ctx);
  registerAnalyze(app, ctx);
  registerRuns(app, ctx);
  registerRegistry(app, ctx);
  registerNotes(app, ctx);
  registerJobs(app, ctx);
  registerMlflow(app, ctx);
  registerOip(app, ctx);


  const uiDir = deps.uiDir ?? fileURLToPath(new URL('dist/ui/', packageRoot));
  if (existsSync(`${uiDir}/index.html`)) {
    await app.register(fastifyStatic, { root: uiDir, prefix: '/', index: 'index.html', wildcard: true, cacheControl: true, maxAge: 0 });
  } else {
    app.get('/', (_req, reply) => reply.code(503).type('text/html; charset=utf-8').send(
      '<!doctype html><meta charset="utf-8"><title>networksecurity</title><p>The web UI is not built. Run <code>npm run build:ui</code>, then reload. The API is up: <a href="/api/docs">/api/docs</a>.</p>'));
  }
  return app;
}
