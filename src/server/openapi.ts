/**
 * The OpenAPI 3.1 document of the REST API (served at /api/v1/openapi.json) and a plain HTML page that
 * lists it (served at /api/docs), written by hand so it says exactly what the routes do.
 */
const json = (schema: Record<string, unknown>): Record<string, unknown> => ({ content: { 'application/json': { schema } } });
const ref = (name: string): Record<string, string> => ({ $ref: `#/components/schemas/${name}` });
const err = (description: string): Record<string, unknown> => ({ description, ...json(ref('Error')) });
const secured = [{ bearer: [] }, { apiToken: [] }];
const commonErrors = { 400: err('Bad input (code says which)'), 429: err('Rate limited'), 503: err('No model loaded') };

/** Builds the OpenAPI document for a given server version. */
export function openApiDocument(version: string, features: readonly string[]): Record<string, unknown> {
  const row = { type: 'object', additionalProperties: false, required: [...features], properties: Object.fromEntries(features.map((f) => [f, { type: 'integer', enum: [-1, 0, 1] }])) };
  return {
    openapi: '3.1.0',
    info: { title: 'networksecurity', version, description: 'Phishing-website detection: scoring, training runs, reports and the model registry. Every error is JSON {"error": {"code", "message", "hint"}}.' },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, apiToken: { type: 'apiKey', in: 'header', name: 'X-API-Token' } },
      schemas: {
        Row: row,
        Error: { type: 'object', required: ['error'], properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, hint: { type: 'string' }, details: { type: 'object' } } } } },
        Prediction: { type: 'object', properties: { label: { type: 'integer', enum: [-1, 1] }, verdict: { type: 'string', enum: ['phishing', 'legitimate'] }, probPhishing: { type: 'number' }, contributions: { type: 'object', additionalProperties: { type: 'number' } }, base: { type: 'number' } } },
        Analysis: { type: 'object', required: ['url', 'prediction', 'label', 'phishingProbability', 'modelVersion', 'profile', 'features'], properties: {
          url: { type: 'string' }, prediction: { type: 'string', enum: ['phishing', 'legitimate'] }, label: { type: 'integer', enum: [-1, 1] }, phishingProbability: { type: 'number' },
          modelVersion: { type: 'integer' }, modelKind: { type: 'string' },
          profile: { type: 'object', description: 'The feature profile whose model judged: all, url_page_fetch or url, with that model\'s test F1', properties: { name: { type: 'string', enum: ['all', 'url_page_fetch', 'url'] }, features: { type: 'integer' }, testF1: { type: 'number' }, cvF1: { type: 'number' } } },
          profiles: { type: 'array', description: 'Every profile model of the champion with its test F1', items: { type: 'object', properties: { name: { type: 'string' }, features: { type: 'integer' }, testF1: { type: 'number' } } } },
          fetch: { type: ['object', 'null'], description: 'What the fetch saw (status, finalUrl, redirects, chain, truncated, tls), or {error: {code, message}} when it was refused or failed; null when nothing was fetched' },
          features: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, group: { type: 'string', enum: ['url', 'page', 'fetch', 'external'] }, value: { type: ['integer', 'null'], enum: [-1, 0, 1, null], description: 'null: not checked' }, used: { type: 'boolean' }, push: { type: ['number', 'null'], description: 'towards phishing (> 0) or legitimate (< 0)' } } } },
        } },
        Note: { type: 'object', properties: { kind: { type: 'string', enum: ['run', 'version'] }, id: { type: 'string' }, text: { type: 'string' }, updatedAt: { type: ['string', 'null'] } } },
        Run: { type: 'object', properties: { id: { type: 'string' }, status: { type: 'string', enum: ['running', 'succeeded', 'failed', 'interrupted'] }, startedAt: { type: 'string' }, finishedAt: { type: ['string', 'null'] }, lastStage: { type: ['string', 'null'] }, summary: { type: 'object' }, error: { type: ['object', 'null'] } } },
        Models: { type: 'object', properties: { champion: { type: ['integer', 'null'] }, challenger: { type: ['integer', 'null'] }, serving: { type: ['integer', 'null'] }, versions: { type: 'array', items: { type: 'object' } }, history: { type: 'array', items: { type: 'object' } } } },
      },
    },
    paths: {
      '/api/v1/predict': { post: {
        summary: 'Score one row or many rows (JSON)', tags: ['scoring'],
        requestBody: { required: true, ...json({ type: 'object', properties: { row: ref('Row'), rows: { type: 'array', items: ref('Row') }, contributions: { type: 'boolean', description: 'Add per-feature contributions (positive pushes towards phishing).' } } }) },
        responses: { 200: { description: 'Predictions', ...json({ type: 'object', properties: { modelVersion: { type: 'integer' }, modelKind: { type: 'string' }, contributionsAvailable: { type: 'boolean' }, contributionSpace: { type: 'string', enum: ['log-odds', 'probability'], description: 'Scale of contributions and base' }, predictions: { type: 'array', items: ref('Prediction') } } }) }, 413: err('Body too large'), ...commonErrors },
      } },
      '/api/v1/predict/csv': { post: {
        summary: 'Score a CSV upload; answers CSV with prediction, phishing_probability and error columns', tags: ['scoring'],
        requestBody: { required: true, content: { 'text/csv': { schema: { type: 'string' } }, 'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } } } },
        responses: { 200: { description: 'Scored CSV (headers X-Rows, X-Row-Errors, X-Model-Version)', content: { 'text/csv': { schema: { type: 'string' } } } }, 413: err('Upload too large'), 415: err('Not CSV'), ...commonErrors },
      } },
      '/api/v1/analyze': { post: {
        summary: 'Check a URL: fetch it safely (public addresses only) or read the given HTML, extract the features, answer with the model of the feature profile that was computed', tags: ['scoring'],
        requestBody: { required: true, ...json({ type: 'object', required: ['url'], properties: { url: { type: 'string', description: 'http(s) address; no scheme means http://' }, html: { type: 'string', description: 'The page\'s HTML; given, nothing is fetched' }, fetch: { type: 'boolean', description: 'false: analyse the URL alone, without network access' } } }) },
        responses: { 200: { description: 'Analysis', ...json(ref('Analysis')) }, 413: err('Body too large'), ...commonErrors },
      } },
      '/api/v1/schema': { get: { summary: 'Feature names, target, aliases and allowed values', tags: ['scoring'], responses: { 200: { description: 'Schema' } } } },
      '/api/v1/model': { get: { summary: 'The champion being served', tags: ['scoring'], responses: { 200: { description: 'Model' }, 503: err('No model loaded') } } },
      '/api/v1/runs': {
        get: { summary: 'Runs, newest first', tags: ['runs'], parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000 } }], responses: { 200: { description: 'Runs', ...json({ type: 'object', properties: { runs: { type: 'array', items: ref('Run') } } }) } } },
        post: { summary: 'Start a training run', tags: ['runs'], security: secured, requestBody: json({ type: 'object', properties: { full: { type: 'boolean' }, preset: { type: 'string', enum: ['default', 'original', 'quick'], description: "Training plan; the server's NS_TRAIN_PRESET when left out" } } }), responses: { 202: { description: 'Started', ...json({ type: 'object', properties: { runId: { type: 'string' } } }) }, 401: err('Token missing'), 403: err('Token wrong') } },
      },
      '/api/v1/runs/{id}': { get: { summary: 'One run with its summary', tags: ['runs'], parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: { description: 'Run', ...json(ref('Run')) }, 404: err('No such run') } } },
      '/api/v1/runs/{id}/events': { get: { summary: 'Live progress as server-sent events (snapshot, stage_started, stage_progress, stage_finished, stage_failed, run_finished, run_failed, end)', tags: ['runs'], parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: { description: 'Event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, 404: err('No such run') } } },
      '/api/v1/runs/{id}/reports/{name}': { get: { summary: 'A report of a run', tags: ['reports'], parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, { name: 'name', in: 'path', required: true, schema: { type: 'string', enum: ['validation', 'drift', 'metrics', 'curves'] } }], responses: { 200: { description: 'Report JSON' }, 404: err('No such run or report') } } },
      '/api/v1/reports/{name}/latest': { get: { summary: 'The newest run\'s report of that name', tags: ['reports'], parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string', enum: ['validation', 'drift', 'metrics', 'curves'] } }], responses: { 200: { description: '{runId, report}' }, 404: err('No report yet') } } },
      '/api/v1/snapshots': { get: { summary: 'Feature-store snapshots', tags: ['reports'], responses: { 200: { description: '{snapshots: [{sha256, rows, createdAt, runId}]}' } } } },
      '/api/v1/models': { get: { summary: 'Registry: versions, champion, alias history', tags: ['registry'], responses: { 200: { description: 'Models', ...json(ref('Models')) } } } },
      '/api/v1/models/{version}': { get: { summary: 'One model version', tags: ['registry'], parameters: [{ name: 'version', in: 'path', required: true, schema: { type: 'integer' } }], responses: { 200: { description: 'Version' }, 404: err('No such version') } } },
      '/api/v1/runs/{id}/note': {
        get: { summary: 'The note on a run', tags: ['runs'], parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: { description: 'Note', ...json(ref('Note')) }, 404: err('No such run') } },
        post: { summary: 'Save the note on a run (empty text removes it)', tags: ['runs'], security: secured, parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], requestBody: json({ type: 'object', required: ['text'], properties: { text: { type: 'string', maxLength: 10000 } } }), responses: { 200: { description: 'Note', ...json(ref('Note')) }, 400: err('Bad body or NOTE_TOO_LONG'), 401: err('Token missing'), 403: err('Token wrong'), 404: err('No such run') } },
      },
      '/api/v1/models/{version}/note': {
        get: { summary: 'The note on a model version', tags: ['registry'], parameters: [{ name: 'version', in: 'path', required: true, schema: { type: 'integer' } }], responses: { 200: { description: 'Note', ...json(ref('Note')) }, 404: err('No such version') } },
        post: { summary: 'Save the note on a model version (empty text removes it)', tags: ['registry'], security: secured, parameters: [{ name: 'version', in: 'path', required: true, schema: { type: 'integer' } }], requestBody: json({ type: 'object', required: ['text'], properties: { text: { type: 'string', maxLength: 10000 } } }), responses: { 200: { description: 'Note', ...json(ref('Note')) }, 400: err('Bad body or NOTE_TOO_LONG'), 401: err('Token missing'), 403: err('Token wrong'), 404: err('No such version') } },
      },
      '/api/v1/notes/{kind}': { get: { summary: 'Every note on runs or on versions', tags: ['runs'], parameters: [{ name: 'kind', in: 'path', required: true, schema: { type: 'string', enum: ['run', 'version'] } }], responses: { 200: { description: 'Notes', ...json({ type: 'object', properties: { notes: { type: 'array', items: ref('Note') } } }) } } } },
      '/api/v1/models/{version}/bundle': { get: { summary: 'Download the model bundle of a version (sha256 checked against the registry; x-bundle-sha256 header)', tags: ['registry'], security: secured, parameters: [{ name: 'version', in: 'path', required: true, schema: { type: 'integer' } }], responses: { 200: { description: 'Bundle', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } }, 401: err('Token missing'), 403: err('Token wrong'), 404: err('No such version') } } },
      '/api/v1/models/{version}/promote': { post: { summary: 'Make a version the champion (compare-and-set on "expected")', tags: ['registry'], security: secured, parameters: [{ name: 'version', in: 'path', required: true, schema: { type: 'integer' } }], requestBody: json({ type: 'object', properties: { expected: { type: ['integer', 'null'] } } }), responses: { 200: { description: 'Models after the change', ...json(ref('Models')) }, 401: err('Token missing'), 403: err('Token wrong'), 404: err('No such version'), 409: err('Champion changed meanwhile') } } },
      '/api/v1/models/rollback': { post: { summary: 'Move the champion back to the previous version', tags: ['registry'], security: secured, responses: { 200: { description: 'Models after the change', ...json(ref('Models')) }, 401: err('Token missing'), 403: err('Token wrong'), 409: err('Nothing to roll back to') } } },
      '/healthz': { get: { summary: 'Liveness', tags: ['operations'], responses: { 200: { description: 'ok' } } } },
      '/readyz': { get: { summary: 'Readiness: a champion is loaded', tags: ['operations'], responses: { 200: { description: 'ready' }, 503: { description: 'no model' } } } },
      '/metrics': { get: { summary: 'Prometheus metrics', tags: ['operations'], responses: { 200: { description: 'text exposition format' } } } },
      '/invocations': { post: { summary: 'MLflow scoring protocol (dataframe_split, dataframe_records, instances, inputs, text/csv)', tags: ['protocols'], responses: { 200: { description: '{predictions: [...]}' }, 400: { description: '{error_code, message}' }, 415: { description: 'other content types' } } } },
      '/v2/models/networksecurity/infer': { post: { summary: 'Open Inference Protocol v2 inference', tags: ['protocols'], responses: { 200: { description: '{model_name, model_version, id, outputs}' }, 400: { description: '{error}' } } } },
    },
  };
}

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A static HTML page listing the document's operations. */
export function docsPage(doc: Record<string, unknown>): string {
  const paths = doc.paths as Record<string, Record<string, { summary?: string; security?: unknown; tags?: string[] }>>;
  const rows = Object.entries(paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) =>
    `<tr><td><code class="m ${method}">${method.toUpperCase()}</code></td><td><code>${escapeHtml(path)}</code></td><td>${escapeHtml(op.summary ?? '')}</td><td>${op.security ? 'token' : ''}</td></tr>`));
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>networksecurity API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1c2430}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #dde3ea;padding:.4rem .6rem;text-align:left;vertical-align:top}code{font:13px ui-monospace,monospace}.m{font-weight:700}.get{color:#17663a}.post{color:#8a4b00}a{color:#1f5fbf}</style></head>
<body><h1>networksecurity REST API</h1><p>Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1). State-changing calls need <code>Authorization: Bearer &lt;NS_API_TOKEN&gt;</code>. Errors are JSON <code>{"error": {"code", "message", "hint"}}</code>. Back to the <a href="/">app</a>.</p>
<table><thead><tr><th>method</th><th>path</th><th>what it does</th><th>auth</th></tr></thead><tbody>${rows.join('')}</tbody></table></body></html>`;
}
