/**
 * Per-profile models, trained in the train stage of every run: besides the model on all 30 features,
 * one model per smaller feature profile (URL + page + fetch; URL only, see
 * src/data/url-features/feature-sets.ts), so a URL check answers with a model that saw exactly the
 * features it could compute instead of imputing the rest. Each profile model is chosen like the main
 * one among the setting each family got in the main search (its grid is not searched again): those
 * cross-validated by phishing F1 (the search engine, gridSearchCV) on folds that keep identical
 * *profile* vectors together, the best refitted on the training split, scored once on the held-out
 * test split. The 'all' profile is the run's own model.
 *
 * Writes `profile-<name>.nsm` bundles and `profiles.json` (what `loadProfileModels` reads back).
 */
import { takeColumns, takeRows, takeValues, type Matrix } from '../../core/matrix.js';
import { PROFILES, profileColumns, type ProfileName } from '../../data/url-features/feature-sets.js';
import { encodeBundle } from '../../ml/bundle.js';
import { featureVectorGroups, gridSearchCV, stratifiedGroupKFold, stratifiedSample } from '../../ml/model-selection/index.js';
import { phishingScores, testMetrics } from '../evaluation.js';
import type { CandidateResult, StageContext, TestMetrics } from '../types.js';
import { preprocessorSteps } from './transform.js';

export const PROFILES_ARTIFACT = 'profiles.json';

export interface ProfileResult {
  name: ProfileName;
  features: string[];
  /** Winning candidate kind and parameters. */
  kind: string;
  params: Record<string, unknown>;
  cv: { f1: number; f1Std: number };
  test: TestMetrics;
  /** Share of test rows whose profile vector also occurs in the training split (coarse profiles share vectors). */
  testVectorsSeenInTraining: number;
  /** Artifact key of the bundle; the 'all' profile points at the run's model. */
  bundleKey: string;
  bundleSha256: string;
}

export interface ProfileInputs {
  /** Raw (not preprocessed) training and test features in schema order, and labels. */
  Xtr: Matrix; ytr: Float64Array; Xte: Matrix; yte: Float64Array;
  /** Each family's setting chosen by the main search: the profile models' candidates. */
  settings: { kind: string; params: Record<string, unknown> }[];
  winner: CandidateResult;
  bundle: { key: string; sha256: string };
  trainingDataHash: string;
  /** Cross-validation folds of the main search (planForData takes fewer than the options' on large data). */
  cvFolds: number;
  /** Fit the profile models on a stratified sample of this many training rows (planForData's profileRows). */
  sampleRows?: number;
}

function seenShare(Xtr: Matrix, Xte: Matrix): number {
  const key = (X: Matrix, i: number): string => Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols)).join(',');
  const train = new Set<string>();
  for (let i = 0; i < Xtr.rows; i++) train.add(key(Xtr, i));
  let seen = 0;
  for (let i = 0; i < Xte.rows; i++) if (train.has(key(Xte, i))) seen++;
  return Xte.rows === 0 ? 0 : seen / Xte.rows;
}

export async function trainProfiles(ctx: StageContext, inp: ProfileInputs): Promise<{ profiles: ProfileResult[]; key: string }> {
  const features = ctx.schema.features;
  const out: ProfileResult[] = [{
    name: 'all', features: [...features], kind: inp.winner.kind, params: inp.winner.params, cv: { f1: inp.winner.cv.f1, f1Std: inp.winner.cv.f1Std },
    test: inp.winner.test, testVectorsSeenInTraining: seenShare(inp.Xtr, inp.Xte), bundleKey: inp.bundle.key, bundleSha256: inp.bundle.sha256,
  }];
  // On large data the profile models learn from a stratified sample (planForData says so in the run).
  const sample = inp.sampleRows !== undefined && inp.sampleRows < inp.ytr.length ? stratifiedSample(inp.ytr, inp.sampleRows, ctx.options.seed) : undefined;
  const fitX = sample ? takeRows(inp.Xtr, sample) : inp.Xtr;
  const fitY = sample ? takeValues(inp.ytr, sample) : inp.ytr;
  const spaces = inp.settings.map((c) => ({ kind: c.kind, grid: Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, [v]])) }));
  for (const profile of PROFILES.filter((p) => p.name !== 'all')) {
    ctx.signal?.throwIfAborted();
    const cols = profileColumns(profile, features);
    const names = cols.map((j) => features[j]!);
    const steps = preprocessorSteps(ctx.options);
    let Xtr = takeColumns(fitX, cols);
    for (const s of steps) Xtr = s.fitTransform(Xtr);
    const Xte = steps.reduce((m, s) => s.transform(m), takeColumns(inp.Xte, cols));
    const folds = stratifiedGroupKFold(fitY, featureVectorGroups(Xtr), inp.cvFolds, { seed: ctx.options.seed });
    const search = await gridSearchCV(spaces, Xtr, fitY, { cv: folds, scoring: 'f1', posLabel: -1, nJobs: ctx.options.jobs, seed: ctx.options.seed, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    const model = search.bestEstimator!;
    const probPhishing = phishingScores(model, Xte);
    const test = testMetrics(inp.yte, { label: model.predict(Xte), probPhishing });
    const bytes = encodeBundle({
      featureNames: names, schemaHash: ctx.schema.hash, trainingDataHash: inp.trainingDataHash,
      metrics: { cvF1: search.best.meanScore, f1Phishing: test.f1Phishing, accuracy: test.accuracy, rocAuc: test.rocAuc },
      libraryVersion: ctx.run.manifest.libraryVersion, createdAt: new Date().toISOString(),
      preprocessors: steps.map((s) => s.toState()), model: model.toState(),
    });
    const art = await ctx.run.write('train', `profile-${profile.name}.nsm`, bytes);
    out.push({
      name: profile.name, features: names, kind: search.best.kind, params: search.best.params, cv: { f1: search.best.meanScore, f1Std: search.best.stdScore },
      test, testVectorsSeenInTraining: seenShare(takeColumns(inp.Xtr, cols), takeColumns(inp.Xte, cols)), bundleKey: art.key, bundleSha256: art.sha256,
    });
    ctx.progress(1, `profile ${profile.label}: ${search.best.kind}, CV F1 ${search.best.meanScore.toFixed(4)}, test F1 ${test.f1Phishing.toFixed(4)}`);
  }
  const art = await ctx.run.write('train', PROFILES_ARTIFACT, JSON.stringify({ profiles: out }, null, 2));
  return { profiles: out, key: art.key };
}
