/**
 * A small MLflow REST client over Node's fetch: JSON calls to /api/2.0/mlflow/*, artifact uploads
 * through the server's artifact proxy, Basic or bearer auth, retries with exponential backoff on 5xx,
 * 429 and network errors, and one deadline (`timeoutMs`) per call that bounds all its attempts. Errors
 * are NsError: MLFLOW_UNAVAILABLE (server down, timeout, 5xx), MLFLOW_AUTH (401/403) or
 * MLFLOW_REQUEST_FAILED (other 4xx, with MLflow's `error_code` in details). Credentials never appear in
 * messages, `describe()` or logs.
 */
import { NsError } from '../../core/errors.js';

export interface MlflowClientOptions {
  uri: string;
  username?: string;
  password?: string;
  token?: string;
  /** Deadline of one call, all retries included (default 5000 ms). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** First backoff delay, doubled per retry (default 100 ms). */
  backoffMs?: number;
}

export interface MlflowRunInfo {
  run_id: string;
  experiment_id: string;
  run_name?: string;
  status: string;
  start_time: number;
  end_time?: number;
  artifact_uri: string;
  lifecycle_stage: string;
}

export interface MlflowRun {
  info: MlflowRunInfo;
  data: {
    metrics?: { key: string; value: number | string; timestamp: number; step: number }[];
    params?: { key: string; value: string }[];
    tags?: { key: string; value: string }[];
  };
}

export interface MlflowExperiment {
  experiment_id: string;
  name: string;
  lifecycle_stage: string;
}

export interface MlflowMetric {
  key: string;
  /** A number, or "NaN" / "Infinity" / "-Infinity" on the wire. */
  value: number | string;
  timestamp: number;
  step: number;
}

export interface MlflowModelVersion {
  name: string;
  version: string;
  source: string;
  run_id?: string;
  status?: string;
  aliases?: string[];
}

export interface MlflowLoggedModelInfo {
  model_id: string;
  experiment_id: string;
  name: string;
  artifact_uri: string;
  source_run_id?: string;
  status?: string;
}

export interface RequestOptions {
  query?: Record<string, string>;
  json?: unknown;
  body?: Uint8Array;
}

/** The MLflow `error_code` of a failed call (e.g. RESOURCE_ALREADY_EXISTS), if the server sent one. */
export function mlflowErrorCode(e: unknown): string | undefined {
  if (e instanceof NsError && typeof e.details?.errorCode === 'string') return e.details.errorCode;
  return undefined;
}

/** A number as MLflow's JSON accepts it: non-finite values become the strings protobuf parses. */
export function metricValueToWire(value: number): number | string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  return value;
}

/** The inverse of metricValueToWire. */
export function metricValueFromWire(value: number | string): number {
  return typeof value === 'number' ? value : Number(value);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class MlflowClient {
  readonly baseUrl: string;
  private readonly authHeader: string | undefined;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;

  constructor(options: MlflowClientOptions) {
    let url: URL;
    try {
      url = new URL(options.uri);
    } catch {
      throw new NsError('CONFIG_INVALID', 'MLFLOW_TRACKING_URI is not a URL.', { kind: 'config', hint: 'Set it to e.g. http://127.0.0.1:5000.' });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new NsError('CONFIG_INVALID', `MLFLOW_TRACKING_URI must be an http(s) URL, not ${url.protocol}.`, {
        kind: 'config', hint: 'Point it at a running `mlflow server`, e.g. http://127.0.0.1:5000.',
      });
    }
    const username = options.username ?? (url.username ? decodeURIComponent(url.username) : undefined);
    const password = options.password ?? (url.password ? decodeURIComponent(url.password) : undefined);
    url.username = '';
    url.password = '';
    this.baseUrl = url.toString().replace(/\/+$/, '');
    if (options.token) this.authHeader = `Bearer ${options.token}`;
    else if (username !== undefined) this.authHeader = `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`;
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.retries = options.retries ?? 3;
    this.backoffMs = options.backoffMs ?? 100;
  }

  /** The server URL without credentials. */
  describe(): string {
    return this.baseUrl;
  }

  /** One REST call with retries; resolves to the parsed JSON body ({} when empty). */
  async request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, options: RequestOptions = {}): Promise<T> {
    const url = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string> = {};
    if (this.authHeader) headers.authorization = this.authHeader;
    let body: string | Uint8Array<ArrayBuffer> | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.body !== undefined) {
      headers['content-type'] = 'application/octet-stream';
      // A copy on a plain ArrayBuffer: fetch's body type excludes views of shared buffers.
      body = new Uint8Array(options.body);
    }
    const deadline = Date.now() + this.timeoutMs;
    let lastProblem = '';
    for (let attempt = 0; ; attempt++) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      let response: Response;
      try {
        response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(remaining) });
      } catch (e) {
        const err = e as Error;
        const timedOut = err.name === 'TimeoutError' || err.name === 'AbortError';
        lastProblem = timedOut ? `no answer within ${this.timeoutMs} ms` : describeNetworkError(err);
        if (timedOut) break;
        if (!(await this.backoff(attempt, deadline))) break;
        continue;
      }
      const text = await response.text();
      if (response.ok) return (text.trim() === '' ? {} : JSON.parse(text)) as T;
      const parsed = parseError(text);
      if (response.status >= 500 || response.status === 429) {
        lastProblem = `HTTP ${response.status}${parsed.message ? `: ${parsed.message}` : ''}`;
        if (!(await this.backoff(attempt, deadline))) break;
        continue;
      }
      if (response.status === 401 || response.status === 403) {
        throw new NsError('MLFLOW_AUTH', `MLflow at ${this.baseUrl} refused the credentials (HTTP ${response.status}).`, {
          kind: 'auth', details: { status: response.status },
          hint: 'Check MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD or MLFLOW_TRACKING_TOKEN.',
        });
      }
      throw new NsError('MLFLOW_REQUEST_FAILED', `MLflow ${method} ${url.pathname} failed (HTTP ${response.status}${parsed.code ? ` ${parsed.code}` : ''}): ${parsed.message ?? text.slice(0, 200)}`, {
        kind: response.status === 404 ? 'not_found' : 'input',
        details: { status: response.status, ...(parsed.code ? { errorCode: parsed.code } : {}) },
        hint: 'Check the MLflow server version and the request; the local record is kept.',
      });
    }
    throw new NsError('MLFLOW_UNAVAILABLE', `MLflow at ${this.baseUrl} is unavailable (${method} ${url.pathname}: ${lastProblem || 'deadline passed'}).`, {
      kind: 'unavailable', details: { path: url.pathname },
      hint: 'Start the MLflow server or fix MLFLOW_TRACKING_URI; runs stay in the local store and can be replayed.',
    });
  }

  /** Waits before the next attempt; false when no retry is left or the deadline would pass. */
  private async backoff(attempt: number, deadline: number): Promise<boolean> {
    if (attempt >= this.retries) return false;
    const delay = this.backoffMs * 2 ** attempt;
    if (Date.now() + delay >= deadline) return false;
    await sleep(delay);
    return true;
  }

  getExperimentByName(name: string): Promise<{ experiment: MlflowExperiment }> {
    return this.request('GET', '/api/2.0/mlflow/experiments/get-by-name', { query: { experiment_name: name } });
  }

  createExperiment(name: string): Promise<{ experiment_id: string }> {
    return this.request('POST', '/api/2.0/mlflow/experiments/create', { json: { name } });
  }

  restoreExperiment(experimentId: string): Promise<unknown> {
    return this.request('POST', '/api/2.0/mlflow/experiments/restore', { json: { experiment_id: experimentId } });
  }

  deleteExperiment(experimentId: string): Promise<unknown> {
    return this.request('POST', '/api/2.0/mlflow/experiments/delete', { json: { experiment_id: experimentId } });
  }

  createRun(body: { experiment_id: string; start_time: number; run_name: string; tags: { key: string; value: string }[] }): Promise<{ run: MlflowRun }> {
    return this.request('POST', '/api/2.0/mlflow/runs/create', { json: body });
  }

  getRun(runId: string): Promise<{ run: MlflowRun }> {
    return this.request('GET', '/api/2.0/mlflow/runs/get', { query: { run_id: runId } });
  }

  logBatch(body: { run_id: string; metrics?: MlflowMetric[]; params?: { key: string; value: string }[]; tags?: { key: string; value: string }[] }): Promise<unknown> {
    return this.request('POST', '/api/2.0/mlflow/runs/log-batch', { json: body });
  }

  updateRun(runId: string, status: 'FINISHED' | 'FAILED' | 'RUNNING', endTime?: number): Promise<unknown> {
    return this.request('POST', '/api/2.0/mlflow/runs/update', { json: { run_id: runId, status, ...(endTime === undefined ? {} : { end_time: endTime }) } });
  }

  searchRuns(body: { experiment_ids: string[]; filter?: string; max_results?: number; page_token?: string }): Promise<{ runs?: MlflowRun[]; next_page_token?: string }> {
    return this.request('POST', '/api/2.0/mlflow/runs/search', { json: body });
  }

  getMetricHistory(runId: string, key: string): Promise<{ metrics?: MlflowMetric[] }> {
    return this.request('GET', '/api/2.0/mlflow/metrics/get-history', { query: { run_id: runId, metric_key: key, max_results: '25000' } });
  }

  listArtifacts(runId: string, path = ''): Promise<{ files?: { path: string; is_dir: boolean; file_size?: number }[] }> {
    return this.request('GET', '/api/2.0/mlflow/artifacts/list', { query: { run_id: runId, ...(path ? { path } : {}) } });
  }

  /** Uploads one artifact of a run whose artifact_uri is served by the tracking server's proxy. */
  uploadArtifact(artifactUri: string, path: string, body: Uint8Array): Promise<unknown> {
    return this.request('PUT', `/api/2.0/mlflow-artifacts/artifacts/${proxyPath(artifactUri, path)}`, { body });
  }

  /** Downloads one artifact through the proxy. */
  async downloadArtifact(artifactUri: string, path: string): Promise<Uint8Array> {
    const headers: Record<string, string> = this.authHeader ? { authorization: this.authHeader } : {};
    const res = await fetch(`${this.baseUrl}/api/2.0/mlflow-artifacts/artifacts/${proxyPath(artifactUri, path)}`, { headers, signal: AbortSignal.timeout(this.timeoutMs) });
    if (!res.ok) throw new NsError('MLFLOW_REQUEST_FAILED', `Artifact ${path} could not be downloaded (HTTP ${res.status}).`, { kind: 'not_found', details: { status: res.status } });
    return new Uint8Array(await res.arrayBuffer());
  }

  createRegisteredModel(name: string): Promise<unknown> {
    return this.request('POST', '/api/2.0/mlflow/registered-models/create', { json: { name } });
  }

  /** Records dataset inputs of a run (MLflow's "Dataset" column). */
  logInputs(runId: string, datasets: { dataset: { name: string; digest: string; source_type: string; source: string; schema?: string; profile?: string }; tags?: { key: string; value: string }[] }[]): Promise<unknown> {
    return this.request('POST', '/api/2.0/mlflow/runs/log-inputs', { json: { run_id: runId, datasets } });
  }

  /** Creates an MLflow 3 logged model (status pending) whose artifacts go to the returned artifact_uri. */
  createLoggedModel(body: { experiment_id: string; name: string; source_run_id: string; model_type?: string; tags?: { key: string; value: string }[] }): Promise<{ model: { info: MlflowLoggedModelInfo } }> {
    return this.request('POST', '/api/2.0/mlflow/logged-models', { json: body });
  }

  /** Marks a logged model ready once its artifacts are uploaded. */
  finalizeLoggedModel(modelId: string): Promise<unknown> {
    return this.request('PATCH', `/api/2.0/mlflow/logged-models/${encodeURIComponent(modelId)}`, { json: { model_id: modelId, status: 'LOGGED_MODEL_READY' } });
  }

  /** Records logged models as outputs of a run (MLflow's "Model" column of the run). */
  logOutputs(runId: string, modelIds: string[]): Promise<unknown> {
    return this.request('POST', '/api/2.0/mlflow/runs/outputs', { json: { run_id: runId, models: modelIds.map((model_id) => ({ model_id, step: 0 })) } });
  }

  createModelVersion(body: { name: string; source: string; run_id?: string; model_id?: string; description?: string; tags?: { key: string; value: string }[] }): Promise<{ model_version: MlflowModelVersion }> {
    return this.request('POST', '/api/2.0/mlflow/model-versions/create', { json: body });
  }

  setModelAlias(name: string, alias: string, version: string): Promise<unknown> {
    return this.request('POST', '/api/2.0/mlflow/registered-models/alias', { json: { name, alias, version } });
  }

  deleteModelAlias(name: string, alias: string): Promise<unknown> {
    return this.request('DELETE', '/api/2.0/mlflow/registered-models/alias', { query: { name, alias } });
  }

  getModelVersionByAlias(name: string, alias: string): Promise<{ model_version: MlflowModelVersion }> {
    return this.request('GET', '/api/2.0/mlflow/registered-models/alias', { query: { name, alias } });
  }
}

/**
 * The proxy path of an artifact: `mlflow-artifacts:/1/<run>/artifacts` (or with a host part,
 * `mlflow-artifacts://host:port/1/...`) plus the relative path, each segment URL-encoded.
 */
export function proxyPath(artifactUri: string, path: string): string {
  const match = /^mlflow-artifacts:(?:\/\/[^/]*)?\/?(.*)$/.exec(artifactUri);
  if (!match) {
    throw new NsError('MLFLOW_ARTIFACTS_NOT_PROXIED', `The run's artifact location ${artifactUri} is not served by the tracking server.`, {
      kind: 'config', hint: 'Start `mlflow server` with --artifacts-destination (served artifacts) so artifacts can be uploaded over HTTP.',
    });
  }
  const root = (match[1] ?? '').replace(/\/+$/, '');
  return [...root.split('/'), ...path.split('/')].filter((s) => s !== '').map(encodeURIComponent).join('/');
}

function parseError(text: string): { code?: string; message?: string } {
  try {
    const j = JSON.parse(text) as { error_code?: unknown; message?: unknown };
    return {
      ...(typeof j.error_code === 'string' ? { code: j.error_code } : {}),
      ...(typeof j.message === 'string' ? { message: j.message } : {}),
    };
  } catch {
    return {};
  }
}

function describeNetworkError(e: Error): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? e.message;
}
