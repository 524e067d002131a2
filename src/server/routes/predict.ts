/**
 * POST /api/v1/predict: one row (`{"row": {...}}`) or many (`{"rows": [{...}, ...]}`) as JSON objects
 * keyed by feature name. Answers label, verdict, phishing probability and the model version; with
 * `"contributions": true` also each feature's push towards "phishing" (positive) or "legitimate", in
 * the model's score space (`contributionSpace`: the log-odds of phishing, or its probability).
 * Missing values (null, "", "na", "NaN") are imputed by the model and counted in `missingValues`.
 */
import type { FastifyInstance } from 'fastify';
import { NsError } from '../../core/errors.js';
import { predictBodySchema } from '../api-schemas.js';
import type { RouteContext } from '../context.js';
import { countMissing, matrixFromRecords } from '../rows.js';

interface PredictBody { row?: unknown; rows?: unknown; contributions?: unknown }

/** Rounds a probability for the wire (12 significant digits are plenty and keep payloads short). */
export const roundProb = (p: number): number => Number(p.toPrecision(12));

/**
 * The 200 answer's JSON schema: Fastify compiles it into a dedicated serializer, which is measurably
 * faster than JSON.stringify on this hot route (and documents the shape).
 */
const predictResponseSchema = {
  type: 'object',
  properties: {
    modelVersion: { type: 'integer' },
    modelKind: { type: 'string' },
    contributionsAvailable: { type: 'boolean' },
    contributionSpace: { type: 'string', enum: ['log-odds', 'probability'] },
    missingValues: { type: 'integer' },
    predictions: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          label: { type: 'integer' },
          verdict: { type: 'string' },
          probPhishing: { type: 'number' },
          contributions: { type: 'object', additionalProperties: { type: 'number' } },
          base: { type: 'number' },
        },
        required: ['label', 'verdict', 'probPhishing'],
      },
    },
  },
  required: ['modelVersion', 'modelKind', 'predictions'],
} as const;

/** Registers POST /api/v1/predict. */
export function registerPredict(app: FastifyInstance, ctx: RouteContext): void {
  app.post<{ Body: PredictBody }>('/api/v1/predict', { onRequest: ctx.scoringRateLimit(), schema: { body: predictBodySchema, response: { 200: predictResponseSchema } } }, async (request) => {
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new NsError('BAD_REQUEST', 'The body must be a JSON object with "row" or "rows".', { hint: 'Send {"rows": [{"having_IP_Address": 1, …}]}.' });
    }
    const records = body.rows !== undefined ? body.rows : body.row !== undefined ? [body.row] : undefined;
    if (!Array.isArray(records)) {
      throw new NsError('BAD_REQUEST', 'Give "row" (an object) or "rows" (an array of objects).', { hint: 'Send {"rows": [{"having_IP_Address": 1, …}]}.' });
    }
    if (body.contributions !== undefined && typeof body.contributions !== 'boolean') {
      throw new NsError('BAD_REQUEST', '"contributions" must be true or false.', { hint: 'Send "contributions": true to get per-feature contributions.' });
    }
    const model = ctx.requireModel();
    const X = matrixFromRecords(records, ctx.columnsFor(model));
    const { label, probPhishing } = await ctx.scoreSoon(model, X);
    const contrib = body.contributions === true ? model.contributions?.(X) : undefined;
    const names = model.featureNames;
    const predictions = Array.from(label, (l, i) => {
      const p: Record<string, unknown> = { label: l, verdict: l === -1 ? 'phishing' : 'legitimate', probPhishing: roundProb(probPhishing[i]!) };
      if (contrib) {
        const c: Record<string, number> = {};
        const off = i * contrib.values.cols;
        names.forEach((f, j) => { c[f] = roundProb(contrib.values.data[off + j]!); });
        p.contributions = c;
        p.base = roundProb(contrib.base[i]!);
      }
      return p;
    });
    return {
      modelVersion: model.version,
      modelKind: model.kind,
      missingValues: countMissing(X),
      ...(body.contributions === true ? { contributionsAvailable: contrib !== undefined } : {}),
      ...(contrib && model.contributionSpace?.() ? { contributionSpace: model.contributionSpace() } : {}),
      predictions,
    };
  });
}
