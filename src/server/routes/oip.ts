/**
 * The Open Inference Protocol (KServe v2 / MLServer / Triton HTTP), so their clients work unchanged:
 * server and model metadata, liveness and readiness, and POST /v2/models/networksecurity/infer with
 * either one [N, 30] tensor or one [N] (or [N, 1]) input per feature, `data` nested or flat. Outputs
 * `predict` ([N, 1] INT64 labels, -1 phishing / 1 legitimate) and `predict_proba` ([N, 2] FP64,
 * columns -1 then 1), selectable by `outputs`. Errors are `{"error": "..."}`.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { NsError } from '../../core/errors.js';
import { matrix, type Matrix } from '../../core/matrix.js';
import type { RouteContext } from '../context.js';
import { featureValue, resolveColumns, type ColumnResolver } from '../rows.js';

export const modelName = 'networksecurity';
const numericTypes = new Set(['BOOL', 'INT8', 'INT16', 'INT32', 'INT64', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'FP16', 'FP32', 'FP64']);
const outputNames = ['predict', 'predict_proba'];

interface InferInput { name?: unknown; shape?: unknown; datatype?: unknown; data?: unknown }

const bad = (message: string): NsError => new NsError('BAD_REQUEST', message, { hint: 'See the Open Inference Protocol request format.' });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Flattens nested row-major data. */
function flatten(data: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(data)) for (const d of data) flatten(d, out);
  else out.push(data);
  return out;
}

function checkedInput(input: unknown, i: number): { name: string; shape: number[]; values: unknown[] } {
  if (!isObject(input)) throw bad(`inputs[${i}] must be an object.`);
  const { name, shape, datatype, data } = input as InferInput;
  if (typeof name !== 'string') throw bad(`inputs[${i}] has no name.`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) throw bad(`Input ${name}: shape must be a list of non-negative integers.`);
  if (typeof datatype !== 'string' || !numericTypes.has(datatype)) throw bad(`Input ${name}: datatype ${String(datatype)} is not supported; use a numeric type such as FP64 or INT64.`);
  if (data === undefined) throw bad(`Input ${name} has no data.`);
  const values = flatten(data);
  const expected = (shape as number[]).reduce((a, b) => a * b, 1);
  if (values.length !== expected) throw bad(`Input ${name}: shape ${JSON.stringify(shape)} needs ${expected} values, data has ${values.length}.`);
  return { name, shape: shape as number[], values };
}

function cellValue(v: unknown, row: number, feature: string): number {
  const x = typeof v === 'boolean' ? undefined : featureValue(v);
  if (x === undefined) throw bad(`Row ${row}: feature ${feature} has value ${JSON.stringify(v) ?? String(v)}; allowed are -1, 0 and 1.`);
  return x;
}

/** The request's inputs as a feature matrix in model order. */
export function oipMatrix(inputs: unknown, cols: ColumnResolver): Matrix {
  if (!Array.isArray(inputs) || inputs.length === 0) throw bad('The request needs a non-empty "inputs" list.');
  const p = cols.featureNames.length;
  const checked = inputs.map(checkedInput);
  if (checked.length === 1) {
    const { name, shape, values } = checked[0]!;
    const rows = shape.length === 1 && shape[0] === p ? 1 : shape[0]!;
    if (!(shape.length === 2 && shape[1] === p) && !(shape.length === 1 && shape[0] === p)) {
      throw bad(`Input ${name}: shape ${JSON.stringify(shape)} does not match [N, ${p}]; send one [N, ${p}] tensor or one input per feature.`);
    }
    const X = matrix(rows, p);
    values.forEach((v, k) => { X.data[k] = cellValue(v, Math.floor(k / p), cols.featureNames[k % p]!); });
    return X;
  }
  const idx = resolveColumns(checked.map((c) => c.name), cols);
  const n = checked[0]!.shape[0]!;
  const X = matrix(n, p);
  checked.forEach(({ name, shape, values }, j) => {
    if (!(shape.length === 1 || (shape.length === 2 && shape[1] === 1)) || shape[0] !== n) {
      throw bad(`Input ${name}: shape ${JSON.stringify(shape)} does not match [${n}] like the first input.`);
    }
    const c = idx[j]!;
    if (c < 0) return;
    values.forEach((v, r) => { X.data[r * p + c] = cellValue(v, r, cols.featureNames[c]!); });
  });
  return X;
}

function requestedOutputs(outputs: unknown): string[] {
  if (outputs === undefined) return outputNames;
  if (!Array.isArray(outputs) || outputs.length === 0) throw bad('"outputs" must be a non-empty list of {"name": ...}.');
  return outputs.map((o) => {
    const name = isObject(o) ? o.name : undefined;
    if (typeof name !== 'string' || !outputNames.includes(name)) throw bad(`Unknown output ${JSON.stringify(name)}; this model has outputs predict and predict_proba.`);
    return name;
  });
}

/** Registers the /v2 routes. */
export function registerOip(app: FastifyInstance, ctx: RouteContext): void {
  const config = { errorStyle: 'oip' as const };
  const unknownModel = (name: string): NsError => new NsError('MODEL_NOT_FOUND', `Model ${name} is not served here; the model is ${modelName}.`, { kind: 'not_found' });
  const checkModel = (name: string, version: string | undefined): void => {
    if (name !== modelName) throw unknownModel(name);
    const model = ctx.deps.getModel();
    if (version !== undefined && model && String(model.version) !== version) {
      throw new NsError('MODEL_VERSION_NOT_FOUND', `Version ${version} of ${modelName} is not being served; version ${model.version} is.`, { kind: 'not_found' });
    }
  };

  app.get('/v2', { config }, () => ({ name: 'networksecurity', version: ctx.version, extensions: [] }));
  app.get('/v2/health/live', { config }, () => ({ live: true }));
  app.get('/v2/health/ready', { config }, (_req, reply) => {
    const ready = ctx.deps.getModel() !== undefined;
    return reply.code(ready ? 200 : 503).send({ ready });
  });

  type ModelParams = { name: string; version?: string };
  const metadata = (params: ModelParams): Record<string, unknown> => {
    checkModel(params.name, params.version);
    const model = ctx.deps.getModel();
    const p = model?.featureNames.length ?? ctx.deps.schema.features.length;
    return {
      name: modelName,
      versions: model ? [String(model.version)] : [],
      platform: 'networksecurity',
      inputs: [{ name: 'input-0', datatype: 'FP64', shape: [-1, p], parameters: { feature_names: model?.featureNames ?? ctx.deps.schema.features } }],
      outputs: [{ name: 'predict', datatype: 'INT64', shape: [-1, 1] }, { name: 'predict_proba', datatype: 'FP64', shape: [-1, 2] }],
    };
  };
  app.get<{ Params: ModelParams }>('/v2/models/:name', { config }, (req) => metadata(req.params));
  app.get<{ Params: ModelParams }>('/v2/models/:name/versions/:version', { config }, (req) => metadata(req.params));

  const ready = (params: ModelParams, reply: FastifyReply): FastifyReply => {
    checkModel(params.name, params.version);
    const isReady = ctx.deps.getModel() !== undefined;
    return reply.code(isReady ? 200 : 503).send({ name: modelName, ready: isReady });
  };
  app.get<{ Params: ModelParams }>('/v2/models/:name/ready', { config }, (req, reply) => ready(req.params, reply));
  app.get<{ Params: ModelParams }>('/v2/models/:name/versions/:version/ready', { config }, (req, reply) => ready(req.params, reply));

  const infer = (params: ModelParams, body: unknown): Record<string, unknown> => {
    checkModel(params.name, params.version);
    if (!isObject(body)) throw bad('The body must be a JSON object with "inputs".');
    if (body.id !== undefined && typeof body.id !== 'string') throw bad('"id" must be a string.');
    const outputs = requestedOutputs(body.outputs);
    const model = ctx.requireModel();
    const X = oipMatrix(body.inputs, ctx.columnsFor(model));
    const { label, probPhishing } = ctx.score(model, X);
    const n = X.rows;
    const out = outputs.map((name) => {
      if (name === 'predict') return { name, datatype: 'INT64', shape: [n, 1], data: Array.from(label) };
      const data = new Array<number>(2 * n);
      for (let i = 0; i < n; i++) { data[2 * i] = probPhishing[i]!; data[2 * i + 1] = 1 - probPhishing[i]!; }
      return { name, datatype: 'FP64', shape: [n, 2], data };
    });
    return { model_name: modelName, model_version: String(model.version), ...(body.id !== undefined ? { id: body.id } : {}), outputs: out };
  };
  const inferConfig = { config: { ...config, rateLimit: ctx.predictRateLimit } };
  app.post<{ Params: ModelParams }>('/v2/models/:name/infer', inferConfig, (req) => infer(req.params, req.body));
  app.post<{ Params: ModelParams }>('/v2/models/:name/versions/:version/infer', inferConfig, (req) => infer(req.params, req.body));
}
