/**
 * The Open Inference Protocol (KServe v2 / MLServer / Triton HTTP), so their clients work unchanged:
 * server and model metadata, liveness and readiness, and POST /v2/models/networksecurity/infer with
 * either one [N, 30] tensor or one [N] (or [N, 1]) input per feature, `data` nested or flat. Outputs
 * `predict` ([N, 1] INT64 labels, -1 phishing / 1 legitimate) and `predict_proba` ([N, 2] FP64,
 * columns -1 then 1), selectable by `outputs`. Errors are `{"error": "..."}`.
 * Like Triton, infer takes the body as JSON whatever its Content-Type says, and accepts the binary
 * tensor extension on input (`Inference-Header-Content-Length` + raw little-endian tensors after the
 * JSON header, `parameters.binary_data_size` per input); outputs are always JSON.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { NsError } from '../../core/errors.js';
import { matrix, type Matrix } from '../../core/matrix.js';
import type { RouteContext } from '../context.js';
import { featureValue, resolveColumns, type ColumnResolver } from '../rows.js';

export const modelName = 'networksecurity';
const numericTypes = new Set(['BOOL', 'INT8', 'INT16', 'INT32', 'INT64', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'FP16', 'FP32', 'FP64']);
const outputNames = ['predict', 'predict_proba'];

interface InferInput { name?: unknown; shape?: unknown; datatype?: unknown; data?: unknown; parameters?: unknown }

/** A parsed infer body: the JSON part and, with the binary extension, the bytes after it. */
interface InferBody { json: unknown; binary: Buffer | undefined }

const binaryReaders: Record<string, [number, (b: Buffer, off: number) => number]> = {
  BOOL: [1, (b, o) => b.readUInt8(o)], INT8: [1, (b, o) => b.readInt8(o)], UINT8: [1, (b, o) => b.readUInt8(o)],
  INT16: [2, (b, o) => b.readInt16LE(o)], UINT16: [2, (b, o) => b.readUInt16LE(o)], INT32: [4, (b, o) => b.readInt32LE(o)],
  UINT32: [4, (b, o) => b.readUInt32LE(o)], INT64: [8, (b, o) => Number(b.readBigInt64LE(o))], UINT64: [8, (b, o) => Number(b.readBigUInt64LE(o))],
  FP32: [4, (b, o) => b.readFloatLE(o)], FP64: [8, (b, o) => b.readDoubleLE(o)],
};

/** Splits the raw body into the JSON header and the binary tensors (binary extension). */
export function parseInferBody(raw: Buffer, headerLength: string | string[] | undefined): InferBody {
  const n = headerLength === undefined ? raw.length : Number(Array.isArray(headerLength) ? headerLength[0] : headerLength);
  if (!Number.isInteger(n) || n < 0 || n > raw.length) throw bad('Inference-Header-Content-Length does not fit the body.');
  let json: unknown;
  try {
    json = JSON.parse(raw.subarray(0, n).toString('utf8'));
  } catch {
    throw bad('The request body is not valid JSON.');
  }
  return { json, binary: n < raw.length ? raw.subarray(n) : undefined };
}

const bad = (message: string): NsError => new NsError('BAD_REQUEST', message, { hint: 'See the Open Inference Protocol request format.' });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const noRows = (name: string, shape: number[]): NsError =>
  new NsError('EMPTY_INPUT', `Input ${name} has shape ${JSON.stringify(shape)}: no rows to score.`, { hint: 'Send at least one row (shape [N, 30] with N ≥ 1).' });

/** Flattens nested row-major data. */
function flatten(data: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(data)) for (const d of data) flatten(d, out);
  else out.push(data);
  return out;
}

/** Reads an input's values from the binary section; `cursor.at` advances past them. */
function binaryValues(name: string, datatype: string, size: unknown, binary: Buffer | undefined, cursor: { at: number }): unknown[] {
  const reader = binaryReaders[datatype];
  if (!binary || typeof size !== 'number' || !reader || size % reader[0] !== 0 || cursor.at + size > binary.length) {
    throw bad(`Input ${name}: binary_data_size does not fit the binary data of the request.`);
  }
  const values: number[] = [];
  for (let off = cursor.at; off < cursor.at + size; off += reader[0]) values.push(reader[1](binary, off));
  cursor.at += size;
  return values;
}

function checkedInput(input: unknown, i: number, binary: Buffer | undefined, cursor: { at: number }): { name: string; shape: number[]; values: unknown[] } {
  if (!isObject(input)) throw bad(`inputs[${i}] must be an object.`);
  const { name, shape, datatype, parameters } = input as InferInput;
  let { data } = input as InferInput;
  if (typeof name !== 'string') throw bad(`inputs[${i}] has no name.`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) throw bad(`Input ${name}: shape must be a list of non-negative integers.`);
  if (typeof datatype !== 'string' || !numericTypes.has(datatype)) throw bad(`Input ${name}: datatype ${String(datatype)} is not supported; use a numeric type such as FP64 or INT64.`);
  const size = isObject(parameters) ? parameters.binary_data_size : undefined;
  if (size !== undefined) data = binaryValues(name, datatype, size, binary, cursor);
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
export function oipMatrix(inputs: unknown, cols: ColumnResolver, binary?: Buffer): Matrix {
  if (!Array.isArray(inputs) || inputs.length === 0) throw bad('The request needs a non-empty "inputs" list.');
  const p = cols.featureNames.length;
  const cursor = { at: 0 };
  const checked = inputs.map((input, i) => checkedInput(input, i, binary, cursor));
  if (checked.length === 1) {
    const { name, shape, values } = checked[0]!;
    const rows = shape.length === 1 && shape[0] === p ? 1 : shape[0]!;
    if (!(shape.length === 2 && shape[1] === p) && !(shape.length === 1 && shape[0] === p)) {
      throw bad(`Input ${name}: shape ${JSON.stringify(shape)} does not match [N, ${p}]; send one [N, ${p}] tensor or one input per feature.`);
    }
    if (rows === 0) throw noRows(name, shape);
    const X = matrix(rows, p);
    values.forEach((v, k) => { X.data[k] = cellValue(v, Math.floor(k / p), cols.featureNames[k % p]!); });
    return X;
  }
  const idx = resolveColumns(checked.map((c) => c.name), cols);
  const n = checked[0]!.shape[0]!;
  if (n === 0) throw noRows(checked[0]!.name, checked[0]!.shape);
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

  const infer = async (params: ModelParams, raw: unknown, headerLength: string | string[] | undefined): Promise<Record<string, unknown>> => {
    checkModel(params.name, params.version);
    const { json: body, binary } = parseInferBody(raw as Buffer, headerLength);
    if (!isObject(body)) throw bad('The body must be a JSON object with "inputs".');
    if (body.id !== undefined && typeof body.id !== 'string') throw bad('"id" must be a string.');
    const outputs = requestedOutputs(body.outputs);
    const model = ctx.requireModel();
    const X = oipMatrix(body.inputs, ctx.columnsFor(model), binary);
    const { label, probPhishing } = await ctx.scoreSoon(model, X);
    const n = X.rows;
    const out = outputs.map((name) => {
      if (name === 'predict') return { name, datatype: 'INT64', shape: [n, 1], data: Array.from(label) };
      const data = new Array<number>(2 * n);
      for (let i = 0; i < n; i++) { data[2 * i] = probPhishing[i]!; data[2 * i + 1] = 1 - probPhishing[i]!; }
      return { name, datatype: 'FP64', shape: [n, 2], data };
    });
    return { model_name: modelName, model_version: String(model.version), ...(body.id !== undefined ? { id: body.id } : {}), outputs: out };
  };
  // Infer routes live in their own context: any (or no) Content-Type is read as raw bytes, as Triton does.
  void app.register((sub, _opts, done) => {
    sub.removeAllContentTypeParsers();
    sub.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, next) => next(null, body));
    const inferConfig = { config, onRequest: ctx.scoringRateLimit() };
    const header = 'inference-header-content-length';
    sub.post<{ Params: ModelParams }>('/v2/models/:name/infer', inferConfig, (req) => infer(req.params, req.body ?? Buffer.alloc(0), req.headers[header]));
    sub.post<{ Params: ModelParams }>('/v2/models/:name/versions/:version/infer', inferConfig, (req) => infer(req.params, req.body ?? Buffer.alloc(0), req.headers[header]));
    done();
  });
}
