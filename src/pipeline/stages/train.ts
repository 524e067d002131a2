/**
 * Stage 4, train: every candidate family of the plan is cross-validated on the training split with
 * folds that keep identical feature vectors together (leakage-aware), its grid searched by phishing
 * F1; the best setting is refitted on the whole training split and scored once on the held-out test
 * split. The best candidate by cross-validated F1 becomes the run's model bundle.
 */
import { NsError } from '../../core/errors.js';
import { takeRows, takeValues, type Matrix } from '../../core/matrix.js';
import { encodeBundle } from '../../ml/bundle.js';
import { classifierFactory, transformerFromState } from '../../ml/catalog.js';
import type { Classifier } from '../../ml/estimator.js';
import { statesFromJson } from '../../ml/state-json.js';
import { VotingClassifier } from '../../ml/ensemble/voting.js';
import { decodeDataset } from '../dataset-io.js';
import { curves, f1Phishing, phishingScores, testMetrics } from '../evaluation.js';
import type { CandidateSpec } from '../plan.js';
import { planForData } from '../plan-scale.js';
import { MODEL_ARTIFACT_DIR } from '../tracking-hooks.js';
import { featureVectorGroups, parameterGrid, stratifiedGroupKFold, type Split } from '../../ml/model-selection/index.js';
import type { CandidateResult, StageContext, TrainOutput } from '../types.js';
import { trainProfiles } from './profiles.js';
import { applySteps } from './transform.js';

type Scalar = string | number | boolean;
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const scalarParams = (p: Record<string, unknown>): Record<string, Scalar> =>
  Object.fromEntries(Object.entries(p).map(([k, v]) => [k, typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string' ? v : JSON.stringify(v)]));

/** The grid-searched part of the chosen parameters (fixed ones are logged already). */
function combo0(params: Record<string, unknown>, spec: CandidateSpec): Record<string, unknown> {
  return Object.fromEntries(Object.keys(spec.grid).map((k) => [k, params[k]]));
}

interface Searched {
  result: CandidateResult;
  model: Classifier;
  curves: ReturnType<typeof curves>;
  /** Out-of-fold probability of phishing of the chosen setting, per training row. */
  oof: Float64Array;
}

async function searchCandidate(
  ctx: StageContext, spec: CandidateSpec, Xtr: Matrix, ytr: Float64Array, Xte: Matrix, yte: Float64Array,
  folds: readonly Split[], report: (f: number) => void,
): Promise<Searched> {
  const factory = classifierFactory(spec.kind);
  const combos = parameterGrid(spec.grid);
  let best: { params: Record<string, unknown>; mean: number; std: number; folds: number[]; oof: Float64Array } | null = null;
  const tracked = await ctx.tracking.candidate(spec.name, { kind: spec.kind, ...scalarParams(spec.params), grid: JSON.stringify(spec.grid) });
  for (const [ci, combo] of combos.entries()) {
    const params = { ...spec.params, ...combo };
    const scores: number[] = [];
    const oof = new Float64Array(ytr.length);
    for (const [fi, fold] of folds.entries()) {
      // Fits are CPU-bound; yielding here lets signals, server requests and progress events through.
      await yieldToEventLoop();
      ctx.signal?.throwIfAborted();
      const model = factory.create(params);
      await model.fit(takeRows(Xtr, fold.train), takeValues(ytr, fold.train), ctx.signal ? { signal: ctx.signal } : {});
      const Xv = takeRows(Xtr, fold.test);
      phishingScores(model, Xv).forEach((p, k) => (oof[fold.test[k]!] = p));
      const score = f1Phishing(takeValues(ytr, fold.test), model.predict(Xv));
      scores.push(score);
      await tracked.logFold(ci * folds.length + fi, { f1_phishing: score });
    }
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    const std = Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / scores.length);
    if (!best || mean > best.mean) best = { params, mean, std, folds: scores, oof };
    report((ci + 1) / combos.length);
  }
  const chosen = best!;
  const t0 = performance.now();
  const model = await factory.create(chosen.params).fit(Xtr, ytr, ctx.signal ? { signal: ctx.signal } : {});
  const fitMs = performance.now() - t0;
  const scores = phishingScores(model, Xte);
  const test = testMetrics(yte, { label: model.predict(Xte), probPhishing: scores });
  await tracked.logParams(scalarParams(Object.fromEntries(Object.entries(combo0(chosen.params, spec)).map(([k, v]) => [`best_${k}`, v]))));
  await tracked.logMetrics({ cv_f1_phishing_mean: chosen.mean, cv_f1_phishing_std: chosen.std, fit_ms: fitMs });
  await tracked.logTestMetrics({ f1_phishing: test.f1Phishing, f1_legit: test.f1Legit, precision: test.precision, recall: test.recall, accuracy: test.accuracy, roc_auc: test.rocAuc });
  await tracked.finish('FINISHED');
  const importances = model.featureImportances?.();
  return {
    model,
    oof: chosen.oof,
    curves: curves(yte, scores),
    result: {
      name: spec.name, kind: spec.kind, params: chosen.params, cv: { f1: chosen.mean, f1Std: chosen.std, folds: chosen.folds }, test, fitMs,
      ...(importances ? { featureImportances: Object.fromEntries(ctx.schema.features.map((f, j) => [f, importances[j] ?? 0])) } : {}),
    },
  };
}

/** F1 per fold of out-of-fold phishing probabilities thresholded at 0.5. */
function foldScores(oof: Float64Array, y: Float64Array, folds: readonly Split[]): number[] {
  return folds.map((f) => {
    const yt = takeValues(y, f.test);
    const pred = Float64Array.from(f.test, (i) => (oof[i]! >= 0.5 ? -1 : 1));
    return f1Phishing(yt, pred);
  });
}

/**
 * Soft voting over the two or three best candidates, judged on the same folds by their averaged
 * out-of-fold probabilities; offered only when it beats the best single candidate there.
 */
function votingCandidate(searched: Searched[], features: readonly string[], y: Float64Array, folds: readonly Split[], Xte: Matrix, yte: Float64Array, report: (msg: string) => void): Searched | null {
  const ranked = [...searched].sort((a, b) => b.result.cv.f1 - a.result.cv.f1);
  const bestSingle = ranked[0]?.result.cv.f1 ?? 0;
  let best: { members: Searched[]; folds: number[]; mean: number; oof: Float64Array } | null = null;
  const tried: string[] = [];
  for (const k of [2, 3]) {
    if (ranked.length < k) break;
    const members = ranked.slice(0, k);
    const oof = new Float64Array(y.length);
    for (const m of members) m.oof.forEach((p, i) => (oof[i]! += p / k));
    const scores = foldScores(oof, y, folds);
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    tried.push(`top ${k} ${mean.toFixed(4)}`);
    if (mean > bestSingle && (!best || mean > best.mean)) best = { members, folds: scores, mean, oof };
  }
  report(`soft voting CV F1: ${tried.join(', ')} vs best single ${bestSingle.toFixed(4)}${best ? ' → voting' : ''}`);
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
      test: testMetrics(yte, { label: model.predict(Xte), probPhishing: probs }),
      fitMs: best.members.reduce((a, m) => a + m.result.fitMs, 0),
      ...(importances.length ? { featureImportances: Object.fromEntries(Array.from(importances, (v, j) => [features[j] ?? String(j), v])) } : {}),
    },
  };
}

export async function train(ctx: StageContext): Promise<TrainOutput> {
  const { ingest: ing, validate: v, transform: tr } = ctx.outputs;
  if (!ing || !v || !tr) throw new NsError('STAGE_ORDER', 'train needs the outputs of ingest, validate and transform.', { kind: 'state', hint: 'Run the pipeline from transform.' });
  const train = decodeDataset(await ctx.artifacts.get(v.trainKey), v.trainKey);
  const groups = featureVectorGroups(train.X);
  // Group ids number the distinct vectors 0, 1, …: the largest + 1 is their count.
  let distinct = 0;
  for (const g of groups) if (g >= distinct) distinct = g + 1;
  const fitted = planForData(ctx.options.plan, ctx.options.cvFolds, { rows: train.X.rows, distinctShare: train.X.rows > 0 ? distinct / train.X.rows : 1 });
  for (const d of fitted.decisions) ctx.progress(0, `plan: ${d}`);
  const plan = fitted.plan;
  if (plan.candidates.length === 0) throw new NsError('PLAN_EMPTY', 'The training plan has no candidate models.', { kind: 'config', hint: 'Pick another --preset.' });
  const test = decodeDataset(await ctx.artifacts.get(v.testKey), v.testKey);
  const preStates = statesFromJson(new TextDecoder().decode(await ctx.artifacts.get(tr.preprocessorKey)));
  const steps = preStates.map(transformerFromState);
  const Xtr = applySteps(steps, train.X);
  const Xte = applySteps(steps, test.X);
  const folds = stratifiedGroupKFold(train.y, groups, fitted.cvFolds, { seed: ctx.options.seed });

  const searched: Searched[] = [];
  for (const [k, spec] of plan.candidates.entries()) {
    ctx.progress(k / plan.candidates.length, `${spec.name}: cross-validating`, { candidate: spec.name });
    const s = await searchCandidate(ctx, spec, Xtr, train.y, Xte, test.y, folds, (f) => ctx.progress((k + f) / plan.candidates.length, undefined, { candidate: spec.name }));
    searched.push(s);
    ctx.progress((k + 1) / plan.candidates.length, `${spec.name}: CV F1 ${s.result.cv.f1.toFixed(4)}, test F1 ${s.result.test.f1Phishing.toFixed(4)}`, { candidate: spec.name, cvF1: s.result.cv.f1, testF1: s.result.test.f1Phishing });
  }
  const ensemble = votingCandidate(searched, ctx.schema.features, train.y, folds, Xte, test.y, (msg) => ctx.progress(1, msg));
  if (ensemble) searched.push(ensemble);
  const winner = searched.reduce((a, b) => (b.result.cv.f1 > a.result.cv.f1 ? b : a));
  const bundle = encodeBundle({
    featureNames: [...ctx.schema.features], schemaHash: ctx.schema.hash, trainingDataHash: ing.snapshotSha256,
    metrics: { cvF1: winner.result.cv.f1, ...Object.fromEntries(Object.entries(winner.result.test).filter((e): e is [string, number] => typeof e[1] === 'number')) },
    libraryVersion: ctx.run.manifest.libraryVersion, createdAt: new Date().toISOString(),
    preprocessors: preStates, model: winner.model.toState(),
  });
  const bundleArt = await ctx.run.write('train', 'model.nsm', bundle);
  // Under model/, where the MLflow registry mirror points the model version that push registers.
  await ctx.tracking.logArtifact(`${MODEL_ARTIFACT_DIR}/bundle.nsm`, bundle);
  const candidates = searched.map((s) => s.result);
  const metricsArt = await ctx.run.write('train', 'metrics.json', JSON.stringify({ best: winner.result.name, candidates }, null, 2));
  const curvesArt = await ctx.run.write('train', 'curves.json', JSON.stringify(Object.fromEntries(searched.map((s) => [s.result.name, s.curves]))));
  await ctx.tracking.logArtifact('metrics.json', JSON.stringify({ best: winner.result.name, candidates }));
  const profiles = await trainProfiles(ctx, { Xtr: train.X, ytr: train.y, Xte: test.X, yte: test.y, winner: winner.result, bundle: { key: bundleArt.key, sha256: bundleArt.sha256 }, trainingDataHash: ing.snapshotSha256 });
  return { candidates, best: winner.result.name, bundleKey: bundleArt.key, bundleSha256: bundleArt.sha256, metricsKey: metricsArt.key, curvesKey: curvesArt.key, profiles: profiles.profiles, profilesKey: profiles.key };
}
