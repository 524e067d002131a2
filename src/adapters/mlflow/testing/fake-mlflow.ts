/**
 * A minimal in-memory MLflow REST server on loopback for unit tests of the client and tracker: it
 * records every call (so tests can count log-batch splits and read the wire values) and enforces the
 * rules tests rely on (log-batch limits, immutable params). `status` makes every call answer with an
 * error code. Integration tests use the real `mlflow server` instead.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  json: Record<string, unknown> | undefined;
  bytes: number;
}

export interface FakeMlflow {
  uri: string;
  calls: RecordedCall[];
  /** When set, every request answers with this HTTP status. */
  status: number | undefined;
  /** Experiments that exist already (name to id); get-by-name pretends they do not while `staleReads` > 0. */
  experiments: Map<string, string>;
  staleReads: number;
  models: Map<string, { versions: { source: string; runId: string }[]; aliases: Record<string, string> }>;
  runs: Map<string, { experimentId: string; name: string; tags: Record<string, string>; params: Record<string, string>; status: string }>;
  close(): Promise<void>;
}

const reply = (status: number, body: unknown): [number, unknown] => [status, body];

export async function startFakeMlflow(): Promise<FakeMlflow> {
  const experiments = new Map<string, string>();
  const fake: FakeMlflow = { uri: '', calls: [], status: undefined, experiments, staleReads: 0, models: new Map(), runs: new Map(), close: () => Promise.resolve() };
  let nextRun = 0;
  const route = (method: string, path: string, url: URL, json: Record<string, unknown>): [number, unknown] => {
    if (path === '/api/2.0/mlflow/experiments/get-by-name') {
      const id = fake.staleReads > 0 ? undefined : experiments.get(url.searchParams.get('experiment_name') ?? '');
      if (fake.staleReads > 0) fake.staleReads--;
      return id ? reply(200, { experiment: { experiment_id: id, name: url.searchParams.get('experiment_name'), lifecycle_stage: 'active' } })
        : reply(404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'no such experiment' });
    }
    if (path === '/api/2.0/mlflow/experiments/create') {
      if (experiments.has(String(json.name))) return reply(400, { error_code: 'RESOURCE_ALREADY_EXISTS', message: 'exists' });
      const id = String(experiments.size + 1);
      experiments.set(String(json.name), id);
      return reply(200, { experiment_id: id });
    }
    if (path === '/api/2.0/mlflow/runs/search') return reply(200, {});
    if (path === '/api/2.0/mlflow/runs/create') {
      const id = `run${++nextRun}`;
      const tags = Object.fromEntries((json.tags as { key: string; value: string }[]).map((t) => [t.key, t.value]));
      fake.runs.set(id, { experimentId: String(json.experiment_id), name: String(json.run_name), tags, params: {}, status: 'RUNNING' });
      return reply(200, { run: { info: { run_id: id, experiment_id: json.experiment_id, status: 'RUNNING', start_time: json.start_time, artifact_uri: `mlflow-artifacts:/1/${id}/artifacts`, lifecycle_stage: 'active' }, data: {} } });
    }
    if (path === '/api/2.0/mlflow/runs/log-batch') {
      const run = fake.runs.get(String(json.run_id));
      const metrics = (json.metrics ?? []) as unknown[];
      const params = (json.params ?? []) as { key: string; value: string }[];
      const tags = (json.tags ?? []) as { key: string; value: string }[];
      if (!run) return reply(404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'no run' });
      if (metrics.length > 1000 || params.length > 100 || tags.length > 100) return reply(400, { error_code: 'INVALID_PARAMETER_VALUE', message: 'batch too large' });
      for (const p of params) {
        if (run.params[p.key] !== undefined && run.params[p.key] !== p.value) return reply(400, { error_code: 'INVALID_PARAMETER_VALUE', message: 'Changing param values is not allowed' });
        run.params[p.key] = p.value;
      }
      for (const t of tags) run.tags[t.key] = t.value;
      return reply(200, {});
    }
    if (path === '/api/2.0/mlflow/runs/update') {
      const run = fake.runs.get(String(json.run_id));
      if (run) run.status = String(json.status);
      return reply(200, {});
    }
    if (method === 'PUT' && path.startsWith('/api/2.0/mlflow-artifacts/artifacts/')) return reply(200, {});
    if (path === '/api/2.0/mlflow/registered-models/create') {
      if (fake.models.has(String(json.name))) return reply(400, { error_code: 'RESOURCE_ALREADY_EXISTS', message: 'exists' });
      fake.models.set(String(json.name), { versions: [], aliases: {} });
      return reply(200, { registered_model: { name: json.name } });
    }
    const model = fake.models.get(typeof json.name === 'string' ? json.name : url.searchParams.get('name') ?? '');
    if (path === '/api/2.0/mlflow/model-versions/create' && model) {
      model.versions.push({ source: String(json.source), runId: String(json.run_id) });
      return reply(200, { model_version: { name: json.name, version: String(model.versions.length), source: json.source } });
    }
    if (path === '/api/2.0/mlflow/registered-models/alias' && model) {
      if (method === 'POST') model.aliases[String(json.alias)] = String(json.version);
      else delete model.aliases[url.searchParams.get('alias') ?? ''];
      return reply(200, {});
    }
    return reply(404, { error_code: 'ENDPOINT_NOT_FOUND', message: `${method} ${path}` });
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const raw = Buffer.concat(chunks);
      const json = req.headers['content-type'] === 'application/json' && raw.length > 0 ? JSON.parse(raw.toString('utf8')) as Record<string, unknown> : undefined;
      fake.calls.push({ method: req.method ?? 'GET', path: url.pathname, headers: req.headers, json, bytes: raw.length });
      const [status, body] = fake.status !== undefined ? [fake.status, { error_code: 'INTERNAL_ERROR', message: 'scripted failure' }] : route(req.method ?? 'GET', url.pathname, url, json ?? {});
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return fake;
}
