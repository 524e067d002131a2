/**
 * Stage 4, train: every candidate family of the plan is cross-validated on the training split with
 * folds that keep identical feature vectors together (leakage-aware), its grid searched by phishing
 * F1 with the model-selection engine (src/ml/model-selection: `--jobs` worker threads, the same
 * search `bench search` times); each family's best setting is refitted on the whole training split
 * and scored once on the held-out test split. A family with a single setting is cross-validated too.
 * The best candidate by cross-validated F1 becomes the run's model bundle.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { NsError } from '../../core/errors.js';
import type { Dataset, Matrix } from '../../core/matrix.js';
import { encodeBundle, type ModelBundle } from '../../ml/bundle.js';
import { transformerFromState } from '../../ml/catalog.js';
import type { Classifier } from '../../ml/estimator.js';
import { statesFromJson } from '../../ml/state-json.js';
import { VotingClassifier } from '../../ml/ensemble/voting.js';
import { decodeDataset } from '../dataset-io.js';
import { curves, intervalText, phishingScores, testMetrics } from '../evaluation.js';
import type { MlflowModelInput } from '../mlflow-model.js';
import type { CandidateSpec } from '../plan.js';
import { expectedSeconds, formatSeconds, planForData } from '../plan-scale.js';
import { MODEL_ARTIFACT_DIR } from '../tracking-hooks.js';
import { featureVectorGroups, parameterGrid, searchCandidates, softVoteTopK, stratifiedGroupKFold, type SearchResult, type Split, type TrialResult } from '../../ml/model-selection/index.js';
import type { CandidateResult, StageContext, TrainOutput } from '../types.js';
import { prepareProfiles, startProfileSearches, writeProfiles } from './profiles.js';
import { applySteps } from './transform.js';

type Scalar = string | number | boolean;
const PHISHING = -1;
const LEGIT = 1;
const scalarParams = (p: Record<string, unknown>): Record<string, Scalar> =>
  Object.fromEntries(Object.entries(p).map(([k, v]) => [k, typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string' ? v : JSON.stringify(v)]));

/** The grid-searched part of the chosen parameters (fixed ones are logged already). */
function combo0(params: Record<string, unknown>, spec: CandidateSpec): Record<string, unknown> {
  return Object.fromEntries(Object.keys(spec.grid).map((k) => [k, params[k]]));
}

/** The test split as the families are scored on it (preprocessed rows), with what its F1 interval needs. */
interface TestSide {
  X: Matrix;
  y: Float64Array;
  interval: { groups: Int32Array; seed: number };
}

interface Searched {
  result: CandidateResult;
  model: Classifier;
  curves: ReturnType<typeof curves>;
  /** Out-of-fold probability of phishing of the chosen setting, per training row. */
  oof: Float64Array;
}

/**
 * Every setting of every family cross-validated by the model-selection engine (worker threads,
 * shared fold binning, tree counts scored as prefixes of one fit), each family's best refit on the
 * whole training split.
 */
async function searchPlan(ctx: StageContext, specs: readonly CandidateSpec[], Xtr: Matrix, ytr: Float64Array, folds: readonly Split[], signal: AbortSignal, onKindScored: (best: TrialResult) => void): Promise<SearchResult> {
  const kinds = specs.map((s) => s.kind);
  const twice = kinds.find((k, i) => kinds.indexOf(k) !== i);
  if (twice !== undefined) throw new NsError('PLAN_DUPLICATE_KIND', `The training plan lists the model kind "${twice}" twice.`, { kind: 'config', hint: 'Give each kind one entry with one grid.' });
  const candidates = specs.flatMap((spec) => parameterGrid(spec.grid).map((combo) => ({ kind: spec.kind, params: { ...spec.params, ...combo } })));
  const left = new Map(specs.map((s) => [s.kind, parameterGrid(s.grid).length]));
  let scored = 0;
  const fitsOf = new Map(specs.map((s) => [s.kind, parameterGrid(s.grid).length * folds.length]));
  const fitsDone = new Map<string, number>();
  return searchCandidates(candidates, Xtr, ytr, {
    cv: folds, scoring: 'f1', posLabel: PHISHING, nJobs: ctx.options.jobs, refit: 'perKind', oof: true, signal, onKindScored,
    onFold: (kind) => {
      const done = (fitsDone.get(kind) ?? 0) + 1;
      fitsDone.set(kind, done);
      const spec = specs[kinds.indexOf(kind)]!;
      ctx.progress(scored / candidates.length, `${spec.name}: ${done}/${fitsOf.get(kind)!} fold fits done`, { candidate: spec.name, foldFits: done, foldFitsTotal: fitsOf.get(kind)! });
    },
    onTrial: (t) => {
      const n = left.get(t.kind)! - 1;
      left.set(t.kind, n);
      const spec = specs[kinds.indexOf(t.kind)]!;
      ctx.progress(++scored / candidates.length, n === 0 ? `${spec.name}: cross-validated` : undefined, { candidate: spec.name });
    },
  });
}

/** One family's searched result: its trials and folds logged, its refit model scored once on the test split. */
async function familyResult(ctx: StageContext, spec: CandidateSpec, search: SearchResult, te: TestSide): Promise<Searched> {
  const { X: Xte, y: yte } = te;
  const { trial: chosen, estimator: model, fitSeconds } = search.bestByKind![spec.kind]!;
  const tracked = await ctx.tracking.candidate(spec.name, { kind: spec.kind, ...scalarParams(spec.params), grid: JSON.stringify(spec.grid) });
  const nFolds = search.folds.length;
  const trials = search.trials.filter((x) => x.kind === spec.kind);
  for (const [ci, t] of trials.entries()) {
    for (const [fi, score] of t.foldScores.entries()) await tracked.logFold(ci * nFolds + fi, { f1_phishing: score });
  }
  const fitMs = fitSeconds * 1000;
  const scores = phishingScores(model, Xte);
  const test = testMetrics(yte, { label: model.predict(Xte), probPhishing: scores }, te.interval);
  await tracked.logParams(scalarParams(Object.fromEntries(Object.entries(combo0(chosen.params, spec)).map(([k, v]) => [`best_${k}`, v]))));
  await tracked.logMetrics({ cv_f1_phishing_mean: chosen.meanScore, cv_f1_phishing_std: chosen.stdScore, fit_ms: fitMs });
  const ci = test.f1PhishingInterval;
  await tracked.logTestMetrics({ f1_phishing: test.f1Phishing, f1_legit: test.f1Legit, precision: test.precision, recall: test.recall, accuracy: test.accuracy, roc_auc: test.rocAuc, ...(ci ? { f1_phishing_low: ci.low, f1_phishing_high: ci.high } : {}) });
  await tracked.finish('FINISHED');
  const importances = model.featureImportances?.();
  return {
    model,
    oof: chosen.oof!,
    curves: curves(yte, scores),
    result: {
      name: spec.name, kind: spec.kind, params: chosen.params, cv: { f1: chosen.meanScore, f1Std: chosen.stdScore, folds: chosen.foldScores, settings: trials.length }, test, fitMs,
      ...(importances ? { featureImportances: Object.fromEntries(ctx.schema.features.map((f, j) => [f, importances[j] ?? 0])) } : {}),
    },
  };
}

/**
 * Soft voting over the two or three best candidates, judged on the same folds by their averaged
 * out-of-fold probabilities; offered only when it beats the best single candidate there (softVoteTopK).
 */
function votingCandidate(searched: Searched[], features: readonly string[], y: Float64Array, folds: readonly Split[], te: TestSide, report: (msg: string) => void): Searched | null {
  const { X: Xte, y: yte } = te;
  const ranked = [...searched].sort((a, b) => b.result.cv.f1 - a.result.cv.f1);
  const bestSingle = ranked[0]?.result.cv.f1 ?? 0;
  const { tried, chosen } = softVoteTopK(ranked.map((s) => ({ meanScore: s.result.cv.f1, oof: s.oof })), y, folds, PHISHING, LEGIT);
  const best = chosen && { members: ranked.slice(0, chosen.size), folds: chosen.foldScores, mean: chosen.mean, oof: chosen.oof };
  report(`soft voting CV F1: ${tried.map((t) => `top ${t.size} ${t.mean.toFixed(4)}`).join(', ')} vs best single ${bestSingle.toFixed(4)}${best ? ' → voting' : ''}`);
  if (!best) return null;
  const model = VotingClassifier.ofFitted(best.members.map((m) => m.model));
  const probs = phishingScores(model, Xte);
  const std = Math.sqrt(best.folds.reduce((a, b) => a + (b - best.mean) ** 2, 0) / best.folds.length);
  const importances = model.featureImportances();
  return {
    model, oof: best.oof, curves: curves(yte, probs),
    result: {
      name: `Voting (${best.members.map((m) => m.result.name).join(' + ')})`, kind: 'voting',
      params: { members: best.members.map((m) => ({ kind: m.result.kind, ...m.result.params })) },
      cv: { f1: best.mean, f1Std: std, folds: best.folds },
      test: testMetrics(yte, { label: model.predict(Xte), probPhishing: probs }, te.interval),
      fitMs: best.members.reduce((a, m) => a + m.result.fitMs, 0),
      ...(importances.length ? { featureImportances: Object.fromEntries(Array.from(importances, (v, j) => [features[j] ?? String(j), v])) } : {}),
    },
  };
}

/**
 * Logs the winner as an MLflow model (onnx + python_function flavors) into the same model/ folder, so the
 * registered version loads in MLflow's Python client. Only when runs go to a tracking server: nothing
 * else reads that folder. A family with no ONNX form keeps only the bundle there, and the run says so; a
 * graph too large for an ONNX file (or for this process's memory) is skipped with one warning.
 */
async function logMlflowModel(ctx: StageContext, bundle: ModelBundle, input: MlflowModelInput): Promise<void> {
  if (!ctx.tracking.sendsToServer) return;
  // Loaded only here: a run without a tracking server never loads the ONNX export.
  const { mlflowModelOrSkip } = await import('../mlflow-model.js');
  const files = mlflowModelOrSkip(bundle, input, { progress: (msg) => ctx.progress(1, msg), warn: (msg, fields) => ctx.logger.warn(msg, fields) });
  if (!files) return;
  for (const [name, body] of Object.entries(files)) await ctx.tracking.logArtifact(`${MODEL_ARTIFACT_DIR}/${name}`, body);
}
/** The rule that picks the registered model among the candidates (named in run summaries): highest mean CV F1. */
export const CHOSEN_BY = 'cv_f1';

export async function train(ctx: StageContext): Promise<TrainOutput> {
  const { ingest: ing, validate: v, transform: tr } = ctx.outputs;
  if (!ing || !v || !tr) throw new NsError('STAGE_ORDER', 'train needs the outputs of ingest, validate and transform.', { kind: 'state', hint: 'Run the pipeline from transform.' });
  const train = decodeDataset(await ctx.artifacts.get(v.trainKey), v.trainKey);
  const groups = featureVectorGroups(train.X);
  // Group ids are hashes of the vectors (stable across data sets), not 0…n-1: count them.
  const distinct = new Set(groups).size;
  const size = { rows: train.X.rows, distinctShare: train.X.rows > 0 ? distinct / train.X.rows : 1 };
  const fitted = planForData(ctx.options.plan, ctx.options.cvFolds, size);
  for (const d of fitted.decisions) ctx.progress(0, `plan: ${d}`);
  const plan = fitted.plan;
  if (plan.candidates.length === 0) throw new NsError('PLAN_EMPTY', 'The training plan has no candidate models.', { kind: 'config', hint: 'Pick another --preset.' });
  const test = decodeDataset(await ctx.artifacts.get(v.testKey), v.testKey);
  const expected = expectedSeconds(plan, fitted.cvFolds, { ...size, testRows: test.X.rows }, ctx.options.jobs);
  ctx.progress(0, `plan: expected time of the search about ${formatSeconds(expected.seconds)} on ${ctx.options.jobs} thread${ctx.options.jobs === 1 ? '' : 's'} (${train.X.rows.toLocaleString('en-US')} rows, ${distinct.toLocaleString('en-US')} distinct; ${fitted.cvFolds} folds; from per-family CPU costs measured at 50,000 rows)`, { expectedSeconds: Math.round(expected.seconds) });
  const preStates = statesFromJson(new TextDecoder().decode(await ctx.artifacts.get(tr.preprocessorKey)));
  const steps = preStates.map(transformerFromState);
  const Xtr = applySteps(steps, train.X);
  const Xte = applySteps(steps, test.X);
  const folds = stratifiedGroupKFold(train.y, groups, fitted.cvFolds, { seed: ctx.options.seed });

  // One signal for the searches this stage starts: the caller's, and this stage's own end (so nothing it
  // started keeps the workers busy after it failed).
  const stop = new AbortController();
  const onAbort = (): void => stop.abort(ctx.signal?.reason);
  if (ctx.signal?.aborted) onAbort();
  ctx.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    // Each family's setting, as soon as the main search has chosen it: its profile models' searches
    // then start on the workers beside the rest of the main search.
    // Until the profiles' data is ready, the settings wait in `chosen`.
    const chosen: TrialResult[] = [];
    const onChosen: { add: (best: TrialResult) => void } = { add: (best) => chosen.push(best) };
    const searching = searchPlan(ctx, plan.candidates, Xtr, train.y, folds, stop.signal, (best) => onChosen.add(best));
    searching.catch(() => undefined);
    // This thread waits while the workers search: the profile models' data is made ready meanwhile.
    const profileData = { Xtr: train.X, ytr: train.y, Xte: test.X, yte: test.y, cvFolds: fitted.cvFolds, signal: stop.signal, ...(fitted.profileRows !== undefined ? { sampleRows: fitted.profileRows } : {}) };
    const prepared = await prepareProfiles(ctx, profileData);
    const profileSearches = startProfileSearches(ctx, profileData, prepared, plan.candidates.map((spec) => spec.kind));
    onChosen.add = (best) => profileSearches.add(best.kind, best.params);
    for (const c of chosen) onChosen.add(c);
    const search = await searching;
    const profilesDone = profileSearches.done();
    profilesDone.catch(() => undefined);
    const main = await trainMain(ctx, { plan: plan.candidates, search, folds, train, test, Xte, preStates, snapshotSha256: ing.snapshotSha256 });
    const profiles = await writeProfiles(ctx, prepared, await profilesDone, { winner: main.winner, bundle: main.bundle, trainingDataHash: ing.snapshotSha256 });
    return { ...main.output, profiles: profiles.profiles, profilesKey: profiles.key };
  } finally {
    ctx.signal?.removeEventListener('abort', onAbort);
    stop.abort();
  }
}

/** From the search to the run's model: each family refit and scored, the soft vote, the bundle and metrics written. */
async function trainMain(ctx: StageContext, m: { plan: readonly CandidateSpec[]; search: SearchResult; folds: readonly Split[]; train: Dataset; test: Dataset; Xte: Matrix; preStates: ReturnType<typeof statesFromJson>; snapshotSha256: string }): Promise<{ winner: CandidateResult; bundle: { key: string; sha256: string }; output: Omit<TrainOutput, 'profiles' | 'profilesKey'> }> {
  const { search, folds, train, test, Xte, preStates } = m;
  // Groups of the raw test rows: the preprocessing may not keep identical rows identical (KNN imputing).
  const te: TestSide = { X: Xte, y: test.y, interval: { groups: featureVectorGroups(test.X), seed: ctx.options.seed } };
  const searched: Searched[] = [];
  for (const spec of m.plan) {
    // The profile searches run on the workers meanwhile: a turn of the event loop between families
    // hands them their next tasks (awaits that settle at once would not).
    await nextTurn();
    const s = await familyResult(ctx, spec, search, te);
    searched.push(s);
    ctx.progress(1, `${spec.name}: CV F1 ${s.result.cv.f1.toFixed(4)}, test F1 ${s.result.test.f1Phishing.toFixed(4)}${intervalText(s.result.test)}`, { candidate: spec.name, cvF1: s.result.cv.f1, testF1: s.result.test.f1Phishing });
  }
  await nextTurn();
  const ensemble = votingCandidate(searched, ctx.schema.features, train.y, folds, te, (msg) => ctx.progress(1, msg));
  if (ensemble) searched.push(ensemble);
  const winner = searched.reduce((a, b) => (b.result.cv.f1 > a.result.cv.f1 ? b : a));
  const decoded: ModelBundle = {
    featureNames: [...ctx.schema.features], schemaHash: ctx.schema.hash, trainingDataHash: m.snapshotSha256,
    metrics: { cvF1: winner.result.cv.f1, ...Object.fromEntries(Object.entries(winner.result.test).filter((e): e is [string, number] => typeof e[1] === 'number')) },
    libraryVersion: ctx.run.manifest.libraryVersion, createdAt: new Date().toISOString(),
    preprocessors: preStates, model: winner.model.toState(),
  };
  const bundle = encodeBundle(decoded);
  const bundleArt = await ctx.run.write('train', 'model.nsm', bundle);
  // Under model/, where the MLflow registry mirror points the model version that push registers.
  await ctx.tracking.logArtifact(`${MODEL_ARTIFACT_DIR}/bundle.nsm`, bundle);
  await logMlflowModel(ctx, decoded, { example: test.X, bundleSha256: bundleArt.sha256, createdAt: decoded.createdAt });
  const candidates = searched.map((s) => s.result);
  const metricsArt = await ctx.run.write('train', 'metrics.json', JSON.stringify({ best: winner.result.name, candidates }, null, 2));
  const curvesArt = await ctx.run.write('train', 'curves.json', JSON.stringify(Object.fromEntries(searched.map((s) => [s.result.name, s.curves]))));
  await ctx.tracking.logArtifact('metrics.json', JSON.stringify({ best: winner.result.name, candidates }));
  return { winner: winner.result, bundle: { key: bundleArt.key, sha256: bundleArt.sha256 }, output: { candidates, best: winner.result.name, bundleKey: bundleArt.key, bundleSha256: bundleArt.sha256, metricsKey: metricsArt.key, curvesKey: curvesArt.key } };
}
