/**
 * POST /api/v1/analyze: check one URL (`{"url": …, "html"?: …, "fetch"?: false}`). The page is fetched
 * safely unless `"fetch": false` or `html` is given; the answer has the verdict, the probability, the
 * profile whose model judged it (with that model's test F1) and every feature with its value (null:
 * not checked) and push. A fetch that is refused or fails is reported in `fetch.error`, not as an error.
 */
import type { FastifyInstance } from 'fastify';
import { NsError } from '../../core/errors.js';
import type { RouteContext } from '../context.js';

interface AnalyzeBody { url?: unknown; html?: unknown; fetch?: unknown }

const HINT = 'Send {"url": "https://example.com/login"} (optionally "html": "<html>…" or "fetch": false).';

export function registerAnalyze(app: FastifyInstance, ctx: RouteContext): void {
  app.post<{ Body: AnalyzeBody }>('/api/v1/analyze', { onRequest: ctx.scoringRateLimit() }, async (request, reply) => {
    const analyze = ctx.deps.analyze;
    if (!analyze) throw new NsError('ANALYZE_UNAVAILABLE', 'URL checks are not available on this server.', { kind: 'unavailable', hint: 'Start it with `networksecurity serve`.' });
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new NsError('BAD_REQUEST', 'The body must be a JSON object with "url".', { hint: HINT });
    if (typeof body.url !== 'string') throw new NsError('BAD_REQUEST', '"url" must be a string.', { hint: HINT });
    if (body.html !== undefined && typeof body.html !== 'string') throw new NsError('BAD_REQUEST', '"html" must be a string.', { hint: HINT });
    if (body.fetch !== undefined && typeof body.fetch !== 'boolean') throw new NsError('BAD_REQUEST', '"fetch" must be true or false.', { hint: HINT });
    const abort = new AbortController();
    // The client going away (response closed before it was written) stops the fetch.
    reply.raw.once('close', () => {
      if (!reply.raw.writableEnded) abort.abort();
    });
    return analyze({ url: body.url, ...(body.html !== undefined ? { html: body.html } : {}), ...(body.fetch !== undefined ? { fetch: body.fetch } : {}) }, abort.signal);
  });
}
