/**
 * Training runs: start one (token), list them, read one, follow one live as server-sent events, and
 * read its reports (validation, drift, metrics, curves). Also the feature-store snapshots.
 */
import type { FastifyInstance } from 'fastify';
import { NsError } from '../../core/errors.js';
import type { ProgressEvent } from '../../core/logger.js';
import { PRESETS, type PresetName } from '../../pipeline/plan.js';
import type { RunRecord } from '../../ports/index.js';
import { requireToken } from '../auth.js';
import type { RouteContext } from '../context.js';

/** Report names a client may ask for, and the run artifact behind each. */
export const reportArtifacts: Record<string, string> = {
  validation: 'validation_report.json',
  drift: 'drift_report.json',
  metrics: 'metrics.json',
  curves: 'curves.json',
};

const heartbeatMs = 15_000;

function notFound(id: string): NsError {
  return new NsError('RUN_NOT_FOUND', `There is no run ${id}.`, { kind: 'not_found', hint: 'List runs with GET /api/v1/runs.' });
}

function parseReport(bytes: Uint8Array, name: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch (e) {
    throw new NsError('REPORT_UNREADABLE', `The ${name} report is not valid JSON.`, { kind: 'internal', cause: e, hint: 'Re-run the pipeline to write it again.' });
  }
}

const finalTypes = new Set<ProgressEvent['type']>(['run_finished', 'run_failed']);

/** Registers the run, report and snapshot routes. */
export function registerRuns(app: FastifyInstance, ctx: RouteContext): void {
  const { deps } = ctx;
  const guard = requireToken(deps.apiToken);

  app.post<{ Body: { full?: unknown; preset?: unknown } | undefined }>('/api/v1/runs', { preHandler: guard }, async (request, reply) => {
    const body = request.body ?? {};
    if (typeof body !== 'object' || Array.isArray(body) || (body.full !== undefined && typeof body.full !== 'boolean')) {
      throw new NsError('BAD_REQUEST', 'The body must be {} or {"full": true|false, "preset": "<name>"}.', { hint: 'Send {"full": true} to re-ingest all records.' });
    }
    const preset = body.preset;
    if (preset !== undefined && !PRESETS.includes(preset as PresetName)) {
      throw new NsError('BAD_REQUEST', `"preset" must be one of ${PRESETS.join(', ')}.`, { hint: 'Leave "preset" out to use the server\'s preset (NS_TRAIN_PRESET).' });
    }
    const { runId } = await deps.startRun({ ...(body.full === undefined ? {} : { full: body.full }), ...(preset === undefined ? {} : { preset: preset as PresetName }) });
    request.log.info({ runId, full: body.full ?? false, preset: preset ?? null }, 'run started');
    return reply.code(202).send({ runId, links: { self: `/api/v1/runs/${runId}`, events: `/api/v1/runs/${runId}/events` } });
  });

  app.get<{ Querystring: { limit?: string } }>('/api/v1/runs', async (request) => {
    const limit = request.query.limit === undefined ? 50 : Number(request.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new NsError('BAD_REQUEST', 'limit must be a whole number from 1 to 1000.', { hint: 'Use ?limit=50.' });
    }
    return { runs: await deps.runs.list(limit) };
  });

  app.get<{ Params: { id: string } }>('/api/v1/runs/:id', async (request) => {
    const run = await deps.runs.get(request.params.id);
    if (!run) throw notFound(request.params.id);
    return run;
  });

  app.get<{ Params: { id: string } }>('/api/v1/runs/:id/events', async (request, reply) => {
    const id = request.params.id;
    if (!(await deps.runs.get(id))) throw notFound(id);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no',
    });
    let closed = false;
    const subscription: { off?: () => void } = {};
    const send = (event: string, data: unknown): void => {
      if (!closed) raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const heartbeat = setInterval(() => { if (!closed) raw.write(': ping\n\n'); }, heartbeatMs);
    const close = (): void => {
      if (closed) return;
      closed = true;
      subscription.off?.();
      clearInterval(heartbeat);
      raw.end();
    };
    // Subscribe before reading the state so an event between the two is not lost. A subscription
    // may replay past events synchronously, the final one included.
    subscription.off = deps.subscribe(id, (event) => {
      send(event.type, event);
      if (finalTypes.has(event.type)) close();
    });
    if (closed) subscription.off();
    raw.on('close', close);
    const run: RunRecord | undefined = await deps.runs.get(id);
    send('snapshot', run);
    if (run && run.status !== 'running') {
      send('end', { status: run.status });
      close();
    }
  });

  app.get<{ Params: { id: string; name: string } }>('/api/v1/runs/:id/reports/:name', async (request) => {
    const { id, name } = request.params;
    const artifact = reportArtifacts[name];
    if (!artifact) throw new NsError('REPORT_UNKNOWN', `There is no report called ${name}.`, { kind: 'not_found', hint: `Ask for one of: ${Object.keys(reportArtifacts).join(', ')}.` });
    if (!(await deps.runs.get(id))) throw notFound(id);
    const bytes = await deps.readRunArtifact(id, artifact);
    if (!bytes) throw new NsError('REPORT_NOT_FOUND', `Run ${id} has no ${name} report.`, { kind: 'not_found', hint: 'The run may have stopped before writing it.' });
    return parseReport(bytes, name);
  });

  app.get<{ Params: { name: string } }>('/api/v1/reports/:name/latest', async (request) => {
    const { name } = request.params;
    const artifact = reportArtifacts[name];
    if (!artifact) throw new NsError('REPORT_UNKNOWN', `There is no report called ${name}.`, { kind: 'not_found', hint: `Ask for one of: ${Object.keys(reportArtifacts).join(', ')}.` });
    for (const run of await deps.runs.list(25)) {
      const bytes = await deps.readRunArtifact(run.id, artifact);
      if (bytes) return { runId: run.id, report: parseReport(bytes, name) };
    }
    throw new NsError('REPORT_NOT_FOUND', `No recent run has a ${name} report.`, { kind: 'not_found', hint: 'Start a run to produce one.' });
  });

  app.get('/api/v1/snapshots', async () => ({ snapshots: await deps.listSnapshots() }));
}
