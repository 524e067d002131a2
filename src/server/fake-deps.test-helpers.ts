/**
 * Working fakes of ServerDeps for the server's tests, browser tests and benchmark: a small logistic
 * model with exact per-feature contributions, an in-memory run store and registry (compare-and-set
 * aliases with history), and a pipeline stand-in that emits real progress events, writes a summary and
 * curves, and registers and promotes a new version.
 */
import { NsError } from '../core/errors.js';
import { sha256 } from '../core/hash.js';
import { silentLogger, type Logger, type ProgressEvent, type ProgressListener } from '../core/logger.js';
import { matrix, type Matrix } from '../core/matrix.js';
import type { Alias, AliasChange, ModelVersion, NewModelVersion, Note, NoteKind, NoteStore, Registry, RunLease, RunRecord, RunStore } from '../ports/index.js';
import type { ScoringModel, ServerDeps, ServerSchema, SnapshotInfo } from './deps.js';

export const featureNames = [
  'having_IP_Address', 'URL_Length', 'Shortining_Service', 'having_At_Symbol', 'double_slash_redirecting', 'Prefix_Suffix',
  'having_Sub_Domain', 'SSLfinal_State', 'Domain_registeration_length', 'Favicon', 'port', 'HTTPS_token', 'Request_URL',
  'URL_of_Anchor', 'Links_in_tags', 'SFH', 'Submitting_to_email', 'Abnormal_URL', 'Redirect', 'on_mouseover', 'RightClick',
  'popUpWidnow', 'Iframe', 'age_of_domain', 'DNSRecord', 'web_traffic', 'Page_Rank', 'Google_Index', 'Links_pointing_to_page',
  'Statistical_report',
];

const columns = [...featureNames, 'Result'];

/** The schema of config/schema.yaml, written out (30 int64 features in -1/0/1, Result in -1/1). */
export const fakeSchema: ServerSchema = {
  columns, features: featureNames, target: 'Result', targetValues: [-1, 1], aliases: { port_no: 'port' }, hash: 'fake-schema-hash',
  allowedValues: Object.fromEntries(columns.map((c) => [c, c === 'Result' ? [-1, 1] : [-1, 0, 1]])),
  types: Object.fromEntries(columns.map((c) => [c, 'int64' as const])),
};

/** Logistic weights towards "legitimate" (roughly what a linear model learns on this data). */
const weights = [0.4, 0.1, -0.2, 0.1, -0.1, 1.5, 0.6, 1.9, -0.2, 0.05, 0.1, -0.3, 0.3, 1.7, 0.4, 0.2, 0.1, -0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.1, 0.2, 0.8, 0.2, 0.4, 0.3, 0.2];

/** A linear model: phishing score = -(bias + w·x); contributions are exact. */
export function fakeModel(version: number, bias = 0.3): ScoringModel {
  const p = featureNames.length;
  const contributions = (X: Matrix): { values: Matrix; base: Float64Array } => {
    const values = matrix(X.rows, p);
    const base = new Float64Array(X.rows).fill(-bias);
    for (let i = 0; i < X.rows; i++) for (let j = 0; j < p; j++) values.data[i * p + j] = -weights[j]! * X.data[i * p + j]!;
    return { values, base };
  };
  return {
    version,
    kind: 'logistic_regression',
    featureNames: [...featureNames],
    predict(X) {
      const label = new Float64Array(X.rows);
      const probPhishing = new Float64Array(X.rows);
      for (let i = 0; i < X.rows; i++) {
        let z = bias;
        // A missing value (NaN) is imputed as 0, as the real model's imputer would fill it in.
        for (let j = 0; j < p; j++) { const x = X.data[i * p + j]!; z += weights[j]! * (x === x ? x : 0); }
        const prob = 1 / (1 + Math.exp(z));
        probPhishing[i] = prob;
        label[i] = prob >= 0.5 ? -1 : 1;
      }
      return { label, probPhishing };
    },
    contributions,
    contributionSpace: () => 'log-odds',
  };
}

export class MemoryRunStore implements RunStore {
  readonly runs = new Map<string, RunRecord>();
  /** The held lease's control: abort it to make the holder lose its lock. */
  lease = new AbortController();
  acquireLock(): Promise<RunLease> {
    this.lease = new AbortController();
    return Promise.resolve({ setRun: () => Promise.resolve(), release: () => Promise.resolve(), lost: this.lease.signal });
  }
  create(run: RunRecord): Promise<void> { this.runs.set(run.id, structuredClone(run)); return Promise.resolve(); }
  update(id: string, patch: Partial<Omit<RunRecord, 'id'>>): Promise<void> {
    const run = this.runs.get(id);
    if (run) this.runs.set(id, { ...run, ...structuredClone(patch) });
    return Promise.resolve();
  }
  get(id: string): Promise<RunRecord | undefined> { return Promise.resolve(structuredClone(this.runs.get(id))); }
  list(limit = 50): Promise<RunRecord[]> {
    return Promise.resolve([...this.runs.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, limit).map((r) => structuredClone(r)));
  }
}

export class MemoryRegistry implements Registry {
  readonly versions: ModelVersion[] = [];
  readonly aliases = new Map<Alias, number | null>();
  readonly changes: AliasChange[] = [];
  describe(): string { return 'memory'; }
  register(v: NewModelVersion): Promise<ModelVersion> {
    const mv = { ...v, version: this.versions.length + 1, createdAt: new Date(Date.UTC(2026, 0, 1) + this.versions.length * 3_600_000).toISOString() };
    this.versions.push(mv);
    return Promise.resolve(mv);
  }
  list(): Promise<ModelVersion[]> { return Promise.resolve([...this.versions]); }
  get(version: number): Promise<ModelVersion | undefined> { return Promise.resolve(this.versions.find((v) => v.version === version)); }
  getAlias(alias: Alias): Promise<ModelVersion | undefined> {
    const v = this.aliases.get(alias);
    return Promise.resolve(v == null ? undefined : this.versions.find((m) => m.version === v));
  }
  setAlias(alias: Alias, version: number | null, expected: number | null, reason: string): Promise<void> {
    const now = this.aliases.get(alias) ?? null;
    if (now !== expected) return Promise.reject(new NsError('ALIAS_CONFLICT', `The ${alias} alias holds ${now}, not ${expected}.`, { kind: 'conflict', hint: 'Reload and try again.' }));
    this.aliases.set(alias, version);
    this.changes.unshift({ alias, from: now, to: version, at: new Date().toISOString(), reason });
    return Promise.resolve();
  }
  history(alias: Alias): Promise<AliasChange[]> { return Promise.resolve(this.changes.filter((c) => c.alias === alias)); }
}

export class MemoryNoteStore implements NoteStore {
  readonly notes = new Map<string, Note>();
  get(kind: NoteKind, id: string): Promise<Note | undefined> { return Promise.resolve(this.notes.get(`${kind}/${id}`)); }
  set(kind: NoteKind, id: string, text: string): Promise<Note | undefined> {
    if (text === '') { this.notes.delete(`${kind}/${id}`); return Promise.resolve(undefined); }
    const note = { kind, id, text, updatedAt: new Date().toISOString() };
    this.notes.set(`${kind}/${id}`, note);
    return Promise.resolve(note);
  }
  list(kind: NoteKind): Promise<Note[]> { return Promise.resolve([...this.notes.values()].filter((n) => n.kind === kind)); }
}

export interface FakeDepsOptions { apiToken?: string; withModel?: boolean; stageDelayMs?: number; limits?: Partial<ServerDeps['limits']>; uiDir?: string; logger?: Logger }

export interface FakeWorld {
  deps: ServerDeps;
  runs: MemoryRunStore;
  registry: MemoryRegistry;
  artifacts: Map<string, Uint8Array>;
  snapshots: SnapshotInfo[];
  setModel(model: ScoringModel | undefined): void;
  /** Resolves when the given run has finished. */
  finished(runId: string): Promise<void>;
}

const stages = ['ingest', 'validate', 'transform', 'train', 'evaluate', 'push'];

const curve = (k: number): { roc: { fpr: number[]; tpr: number[] }; pr: { precision: number[]; recall: number[] } } => {
  const xs = Array.from({ length: 21 }, (_, i) => i / 20);
  return { roc: { fpr: xs, tpr: xs.map((x) => Math.pow(x, 1 / k)) }, pr: { recall: xs, precision: xs.map((x) => 1 - 0.5 * Math.pow(x, k)) } };
};

/**
 * The default preset's nine families plus a soft vote, as the real train stage reports them: the vote
 * has the highest CV F1, so it is the chosen (registered) model, while Gradient Boosting has the
 * highest test F1 — the case where "best by test F1" and "chosen" differ.
 */
const fakeCandidates: [name: string, kind: string, cvF1: number, testF1: number, params: Record<string, unknown>][] = [
  ['Gradient Boosting', 'hist_gradient_boosting', 0.9561, 0.962, { maxIter: 300, maxDepth: 6, learningRate: 0.1, randomState: 1 }],
  ['Random Forest', 'random_forest', 0.9570, 0.959, { nEstimators: 300, maxFeatures: 'sqrt', randomState: 1 }],
  ['Voting (Random Forest + Gradient Boosting)', 'voting', 0.9592, 0.957, { members: [{ kind: 'random_forest', nEstimators: 300 }, { kind: 'hist_gradient_boosting', maxIter: 300 }] }],
  ['Extra Trees', 'extra_trees', 0.9533, 0.955, { nEstimators: 300, randomState: 1 }],
  ['SVC', 'svc', 0.9455, 0.947, { kernel: 'rbf', C: 1, randomState: 1 }],
  ['KNN', 'knn', 0.9402, 0.941, { nNeighbors: 5 }],
  ['Decision Tree', 'decision_tree', 0.9380, 0.936, { criterion: 'entropy' }],
  ['AdaBoost', 'adaboost', 0.9310, 0.930, { nEstimators: 100, randomState: 1 }],
  ['Logistic Regression', 'logistic_regression', 0.9260, 0.927, { C: 1 }],
  ['Naive Bayes', 'naive_bayes', 0.9010, 0.899, {}],
];
export const fakeChosen = 'Voting (Random Forest + Gradient Boosting)';

function fakeSummary(version: number, seed: number, preset: string): Record<string, unknown> {
  const cand = ([name, kind, cvF1, f1, params]: (typeof fakeCandidates)[number]): Record<string, unknown> => ({
    name, kind, params, cv: { f1: cvF1, f1Std: 0.004, folds: [cvF1 - 0.003, cvF1, cvF1 + 0.003] }, fitMs: 300 + name.length * 100,
    test: { f1Phishing: f1, f1Legit: f1 + 0.01, precision: f1 + 0.005, recall: f1 - 0.005, accuracy: f1 + 0.006, rocAuc: Math.min(0.999, f1 + 0.03), confusion: [[1180, 40 + seed], [35, 956 - seed]], f1PhishingInterval: { low: f1 - 0.0151, high: f1 + 0.0124, level: 0.95 } },
    featureImportances: Object.fromEntries(featureNames.map((f, j) => [f, Math.abs(weights[j]!) / 10])),
  });
  const chosen = fakeCandidates.find((c) => c[0] === fakeChosen)!;
  return {
    stages: stages.map((name, i) => ({ name, status: 'succeeded', startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), finishedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i + 1)).toISOString(), durationMs: 1000 })),
    options: { preset, seed, testSize: 0.2, imputer: 'knn', scaler: 'none' },
    candidates: fakeCandidates.map(cand),
    best: fakeChosen, chosenBy: 'cv_f1', f1: chosen[3],
    profiles: [{ name: 'full', features: 30, kind: 'voting', cvF1: 0.9592, testF1: 0.957 }, { name: 'url-only', features: 8, kind: 'random_forest', cvF1: 0.884, testF1: 0.881 }],
    champion: { version, kind: 'voting' },
    registered: { version, kind: 'voting', promoted: true, challenger: false, reused: false },
    gate: { accepted: true, reason: 'better than the champion on F1' },
    split: { train: 8844, test: 2211 },
    validation: { ok: true, badRowCount: 0 },
    drift: { datasetDrift: false, driftedShare: 0.1 },
  };
}

const driftReport = {
  datasetDrift: false,
  driftedShare: 0.1,
  features: featureNames.map((feature, j) => ({
    feature, ksStatistic: 0.01, ksPValue: j === 7 ? 0.0004 : 0.2 + (j % 7) / 10, chi2Statistic: 1, chi2PValue: j === 7 ? 0.0001 : 0.3 + (j % 5) / 10,
    psi: j === 7 ? 0.31 : 0.01 * (j % 5), jsDistance: 0.01, drifted: j === 7,
    baseline: { '-1': 0.3, '0': 0.1, '1': 0.6, missing: 0 }, current: j === 7 ? { '-1': 0.45, '0': 0.1, '1': 0.45, missing: 0 } : { '-1': 0.31, '0': 0.1, '1': 0.59, missing: 0 },
  })),
};

/** Bytes standing in for a model bundle: 3 MiB, different per key, so a download can be checked byte for byte. */
export function fakeBundleBytes(key: string): Uint8Array {
  const bytes = new Uint8Array(3 << 20);
  let x = [...key].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  for (let i = 0; i < bytes.length; i++) { x = (x * 1103515245 + 12345) >>> 0; bytes[i] = x >>> 24; }
  return bytes;
}

/** A fake but working world for the server. */
export function fakeWorld(opts: FakeDepsOptions = {}): FakeWorld {
  const runs = new MemoryRunStore();
  const registry = new MemoryRegistry();
  const artifacts = new Map<string, Uint8Array>();
  const listeners = new Map<string, Set<ProgressListener>>();
  const done = new Map<string, Promise<void>>();
  const snapshots: SnapshotInfo[] = [];
  let model: ScoringModel | undefined = opts.withModel === false ? undefined : fakeModel(1);
  let counter = 0;
  const delay = opts.stageDelayMs ?? 5;
  const enc = new TextEncoder();

  if (model) {
    artifacts.set('models/1.nsmb', fakeBundleBytes('models/1.nsmb'));
    void registry.register({ runId: 'seed-run', bundleKey: 'models/1.nsmb', bundleSha256: sha256(artifacts.get('models/1.nsmb')!), modelKind: 'logistic_regression', metrics: { f1: 0.93, rocAuc: 0.97 }, snapshotSha256: 'b'.repeat(64), schemaHash: fakeSchema.hash });
    registry.aliases.set('champion', 1);
  }

  const emit = (runId: string, e: Omit<ProgressEvent, 'at' | 'runId'>): void => {
    const event: ProgressEvent = { ...e, runId, at: new Date().toISOString() };
    for (const l of listeners.get(runId) ?? []) l(event);
  };
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

  const pipeline = async (runId: string, seed: number, preset: string): Promise<void> => {
    await sleep(delay);
    for (const stage of stages) {
      emit(runId, { type: 'stage_started', stage });
      await sleep(delay);
      emit(runId, { type: 'stage_progress', stage, fraction: 0.5, message: `${stage} half way` });
      await sleep(delay);
      emit(runId, { type: 'stage_finished', stage });
      await runs.update(runId, { lastStage: stage });
    }
    const bundleKey = `models/${runId}.nsmb`;
    artifacts.set(bundleKey, fakeBundleBytes(bundleKey));
    const mv = await registry.register({ runId, bundleKey, bundleSha256: sha256(artifacts.get(bundleKey)!), modelKind: 'voting', metrics: { f1Phishing: 0.957, rocAuc: 0.987 }, snapshotSha256: 'd'.repeat(64), schemaHash: fakeSchema.hash });
    const summary = fakeSummary(mv.version, seed, preset);
    artifacts.set(`${runId}/curves.json`, enc.encode(JSON.stringify(Object.fromEntries(fakeCandidates.map(([name], i) => [name, curve(1.5 + i / 2)])))));
    artifacts.set(`${runId}/drift_report.json`, enc.encode(JSON.stringify(driftReport)));
    artifacts.set(`${runId}/validation_report.json`, enc.encode(JSON.stringify({ ok: true, rows: 11055, columns: [], missingColumns: [], extraColumns: [], badRows: [], badRowCount: 0 })));
    snapshots.unshift({ sha256: (seed.toString(16) + 'e'.repeat(64)).slice(0, 64), rows: 11055, createdAt: new Date().toISOString(), runId });
    await registry.setAlias('champion', mv.version, registry.aliases.get('champion') ?? null, `run ${runId}`);
    model = fakeModel(mv.version, 0.2);
    await runs.update(runId, { status: 'succeeded', finishedAt: new Date().toISOString(), summary });
    emit(runId, { type: 'run_finished', message: 'run finished' });
  };

  const deps: ServerDeps = {
    schema: fakeSchema,
    getModel: () => model,
    runs,
    registry,
    notes: new MemoryNoteStore(),
    async startRun(opts) {
      counter++;
      const runId = `run-${String(counter).padStart(3, '0')}-${Date.now().toString(36)}`;
      await runs.create({ id: runId, status: 'running', startedAt: new Date().toISOString(), finishedAt: null, lastStage: null, summary: {}, error: null });
      done.set(runId, pipeline(runId, counter, opts.preset ?? 'default'));
      return { runId };
    },
    subscribe(runId, listener) {
      let set = listeners.get(runId);
      if (!set) { set = new Set(); listeners.set(runId, set); }
      set.add(listener);
      return () => { set.delete(listener); };
    },
    readRunArtifact: (runId, name) => Promise.resolve(artifacts.get(`${runId}/${name}`)),
    async readModelBundle(version) {
      const mv = await registry.get(version);
      return mv && artifacts.get(mv.bundleKey);
    },
    async promote(version, expected) {
      await registry.setAlias('champion', version, expected, 'promoted from the API');
      model = fakeModel(version);
    },
    async rollback() {
      const last = (await registry.history('champion'))[0];
      if (!last || last.from === null) throw new NsError('NOTHING_TO_ROLL_BACK', 'The champion has no earlier version.', { kind: 'conflict', hint: 'Promote a version instead.' });
      await registry.setAlias('champion', last.from, last.to, 'rollback');
      model = fakeModel(last.from);
    },
    listSnapshots: () => Promise.resolve([...snapshots]),
    apiToken: opts.apiToken,
    limits: { jsonBodyBytes: 1 << 20, csvUploadBytes: 8 << 20, predictPerMinute: 10_000, ...opts.limits },
    logger: opts.logger ?? silentLogger,
    ...(opts.uiDir ? { uiDir: opts.uiDir } : {}),
  };
  return {
    deps, runs, registry, artifacts, snapshots,
    setModel: (m) => { model = m; },
    finished: (runId) => done.get(runId) ?? Promise.resolve(),
  };
}
