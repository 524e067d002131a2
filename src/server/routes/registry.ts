/**
 * The model registry: versions with metrics and lineage, the champion and its alias history,
 * promote (compare-and-set) and rollback. Changes need the token.
 */
import type { FastifyInstance } from 'fastify';
import { NsError } from '../../core/errors.js';
import { sha256 } from '../../core/hash.js';
import { requireToken } from '../auth.js';
import type { RouteContext } from '../context.js';

function parseVersion(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new NsError('BAD_REQUEST', `Model version ${v} is not a positive whole number.`, { hint: 'Use a version from GET /api/v1/models.' });
  return n;
}

/** Registers the /api/v1/models routes. */
export function registerRegistry(app: FastifyInstance, ctx: RouteContext): void {
  const { deps } = ctx;
  const guard = requireToken(deps.apiToken);

  const summary = async (): Promise<Record<string, unknown>> => {
    const [versions, champion, challenger, history] = await Promise.all([
      deps.registry.list(), deps.registry.getAlias('champion'), deps.registry.getAlias('challenger'), deps.registry.history('champion'),
    ]);
    return {
      champion: champion?.version ?? null,
      challenger: challenger?.version ?? null,
      serving: deps.getModel()?.version ?? null,
      versions: [...versions].sort((a, b) => b.version - a.version),
      history,
    };
  };

  app.get('/api/v1/models', summary);

  app.get<{ Params: { version: string } }>('/api/v1/models/:version', async (request) => {
    const version = parseVersion(request.params.version);
    const mv = await deps.registry.get(version);
    if (!mv) throw new NsError('MODEL_VERSION_NOT_FOUND', `There is no model version ${version}.`, { kind: 'not_found', hint: 'List versions with GET /api/v1/models.' });
    return mv;
  });

  // The bundle can hold training rows (k-NN, SVC support vectors): reading it needs the token too.
  app.get<{ Params: { version: string } }>('/api/v1/models/:version/bundle', { preHandler: requireToken(deps.apiToken, { read: true }) }, async (request, reply) => {
    const version = parseVersion(request.params.version);
    const bytes = await deps.readModelBundle(version);
    if (!bytes) throw new NsError('MODEL_VERSION_NOT_FOUND', `There is no model version ${version}.`, { kind: 'not_found', hint: 'List versions with GET /api/v1/models.' });
    return reply
      .header('content-type', 'application/octet-stream')
      .header('content-disposition', `attachment; filename="networksecurity-model-v${version}.nsm"`)
      .header('x-bundle-sha256', sha256(bytes))
      .header('cache-control', 'no-store')
      .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });

  app.post<{ Params: { version: string }; Body: { expected?: unknown } | undefined }>('/api/v1/models/:version/promote', { preHandler: guard }, async (request) => {
    const version = parseVersion(request.params.version);
    const body = request.body ?? {};
    if (typeof body !== 'object' || Array.isArray(body)) throw new NsError('BAD_REQUEST', 'The body must be a JSON object.', { hint: 'Send {"expected": <current champion version or null>}.' });
    let expected: number | null;
    if (body.expected === undefined) expected = (await deps.registry.getAlias('champion'))?.version ?? null;
    else if (body.expected === null || (typeof body.expected === 'number' && Number.isInteger(body.expected))) expected = body.expected;
    else throw new NsError('BAD_REQUEST', '"expected" must be a version number or null.', { hint: 'Send the champion version you saw, so a concurrent change is detected.' });
    if (!(await deps.registry.get(version))) throw new NsError('MODEL_VERSION_NOT_FOUND', `There is no model version ${version}.`, { kind: 'not_found', hint: 'List versions with GET /api/v1/models.' });
    await deps.promote(version, expected);
    return summary();
  });

  app.post('/api/v1/models/rollback', { preHandler: guard }, async () => {
    await deps.rollback();
    return summary();
  });
}
