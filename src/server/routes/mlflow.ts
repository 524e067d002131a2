/**
 * MLflow's scoring-server protocol, so clients written for `mlflow models serve` work unchanged:
 * POST /invocations with JSON (`dataframe_split`, `dataframe_records`, `instances` or `inputs`) or
 * `text/csv`, answering `{"predictions": [...]}` with labels (-1 phishing, 1 legitimate);
 * GET /ping and /health (200 when a model is loaded, else 404) and GET /version.
 * Errors are `{"error_code", "message"}`: 400 for bad input, 415 for other content types.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { NsError } from '../../core/errors.js';
import type { Matrix } from '../../core/matrix.js';
import type { RouteContext } from '../context.js';
import { describeRowError, readRecordsCsv } from '../../data/records.js';
import { limitedUpload } from '../csv-batch.js';
import { matrixFromArrays, matrixFromColumns, matrixFromRecords, type ColumnResolver } from '../rows.js';

const inputFields = ['dataframe_split', 'dataframe_records', 'instances', 'inputs'];

function badInput(message: string): NsError {
  return new NsError('BAD_REQUEST', message, { hint: 'See https://mlflow.org/docs/latest/deployment/deploy-model-locally for the input formats.' });
}

function unsupported(message: string): NsError {
  return new NsError('UNSUPPORTED_MEDIA_TYPE', message, { httpStatus: 415, hint: 'Send application/json or text/csv.' });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A tensor-style payload (`instances` / `inputs`): rows as arrays or objects, or columns as an object. */
function tensorRows(value: unknown, cols: ColumnResolver): Matrix {
  if (isObject(value)) return matrixFromColumns(value, cols);
  if (!Array.isArray(value)) throw badInput('"instances"/"inputs" must be a list of rows or an object of columns.');
  if (value.length > 0 && isObject(value[0])) return matrixFromRecords(value, cols);
  return matrixFromArrays(value, cols);
}

/** The MLflow JSON body as a matrix. */
export function mlflowJsonRows(body: unknown, cols: ColumnResolver): Matrix {
  if (!isObject(body)) throw badInput('Invalid input. The input must be a JSON dictionary with exactly one of the input fields {\'dataframe_split\', \'dataframe_records\', \'instances\', \'inputs\'}.');
  const given = inputFields.filter((f) => f in body);
  if (given.length !== 1) {
    throw badInput(`Invalid input. The input must be a JSON dictionary with exactly one of the input fields {'dataframe_split', 'dataframe_records', 'instances', 'inputs'}. Received dictionary with input fields: [${Object.keys(body).map((k) => `'${k}'`).join(', ')}].`);
  }
  const field = given[0]!;
  const value = body[field];
  if (field === 'dataframe_split') {
    if (!isObject(value) || !Array.isArray(value.data)) throw badInput('"dataframe_split" must be an object with "columns" and "data".');
    if (value.columns !== undefined && !Array.isArray(value.columns)) throw badInput('"dataframe_split.columns" must be a list of column names.');
    return matrixFromArrays(value.data, cols, value.columns as unknown[] | undefined);
  }
  if (field === 'dataframe_records') {
    if (!Array.isArray(value)) throw badInput('"dataframe_records" must be a list of records.');
    return matrixFromRecords(value, cols);
  }
  return tensorRows(value, cols);
}

/** Registers the MLflow scoring routes. */
export function registerMlflow(app: FastifyInstance, ctx: RouteContext): void {
  const config = { errorStyle: 'mlflow' as const };
  const health = (_req: unknown, reply: FastifyReply): FastifyReply =>
    reply.code(ctx.deps.getModel() ? 200 : 404).type('application/json').send('\n');
  app.get('/ping', { config }, health);
  app.get('/health', { config }, health);
  app.get('/version', { config }, (_req, reply) => reply.type('text/plain; charset=utf-8').send(ctx.version));

  app.post('/invocations', { config, onRequest: ctx.scoringRateLimit() }, async (request) => {
    const contentType = request.headers['content-type'] ?? '';
    const [mime = '', ...params] = contentType.split(';').map((s) => s.trim());
    const paramMap = new Map(params.map((p) => { const [k = '', v = ''] = p.split('='); return [k.trim().toLowerCase(), v.trim().toLowerCase()] as const; }));
    if ((paramMap.get('charset') ?? 'utf-8') !== 'utf-8') throw unsupported('The scoring server only supports UTF-8.');
    const extra = [...paramMap.keys()].filter((k) => k !== 'charset');
    if (extra.length > 0) throw unsupported(`Unrecognized content type parameters: ${extra.join(', ')}.`);
    const model = ctx.requireModel();
    const cols = ctx.columnsFor(model);
    let X: Matrix;
    if (mime === 'application/json') X = mlflowJsonRows(request.body, cols);
    else if (mime === 'text/csv') {
      const read = await readRecordsCsv(limitedUpload(request.body as AsyncIterable<Uint8Array>, ctx.deps.limits.csvUploadBytes), ctx.deps.schema, { requireTarget: false, allowExtra: true });
      const first = read.errors[0];
      if (first !== undefined) throw badInput(`${describeRowError(first)}.`);
      X = read.X;
    } else {
      throw unsupported(`This predictor only supports the following content types: Types: ['text/csv', 'application/json']. Got '${contentType}'.`);
    }
    const { label } = await ctx.scoreSoon(model, X);
    return { predictions: Array.from(label) };
  });
}
