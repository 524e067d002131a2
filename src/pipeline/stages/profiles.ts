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
 * The profile searches start as soon as the main search has chosen each family's setting and run
 * while the train stage scores and writes the main model (searchProfiles, then writeProfiles).
 * Writes `profile-<name>.nsm` bundles and `profiles.json` (what `loadProfileModels` reads back).
 */
import { takeColumns, takeRows, takeValues, type Matrix } from '../../core/matrix.js';
import { PROFILES, profileColumns, type ProfileName } from '../../data/url-features/feature-sets.js';
import { encodeBundle } from '../../ml/bundle.js';
import type { Classifier, Transformer } from '../../ml/estimator.js';
import { featureVectorGroups, gridSearchCV, stratifiedGroupKFold, stratifiedSample, type SearchResult, type Split } from '../../ml/model-selection/index.js';
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
  /** Cross-validation folds of the main search (planForData takes fewer than the options' on large data). */
  cvFolds: number;
  /** Fit the profile models on a stratified sample of this many training rows (planForData's profileRows). */
  sampleRows?: number;
  signal?: AbortSignal;
}

/** What the run's own model adds: the 'all' profile and the bundles' provenance. */
export interface ProfileRunModel {
  winner: CandidateResult;
  bundle: { key: string; sha256: string };
  trainingDataHash: string;
}

/** One smaller profile's data, preprocessed, with its folds (all that does not need the main search). */
interface ProfilePrepared {
  profile: (typeof PROFILES)[number];
  cols: number[];
  steps: Transformer[];
  Xtr: Matrix; ytr: Float64Array; Xte: Matrix;
  folds: Split[];
  seen: number;
}

/** One smaller profile's searched model and its test scores (not yet written). */
interface ProfileSearched extends ProfilePrepared {
  search: SearchResult;
  model: Classifier;
  test: TestMetrics;
}

/** The profiles' data, preprocessing and folds, plus the 'all' profile's seen share. */
export interface PreparedProfiles { seenAll: number; profiles: ProfilePrepared[] }

function seenShare(Xtr: Matrix, Xte: Matrix): number {
  const key = (X: Matrix, i: number): string => Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols)).join(',');
  const train = new Set<string>();
  for (let i = 0; i < Xtr.rows; i++) train.add(key(Xtr, i));
  let seen = 0;
  for (let i = 0; i < Xte.rows; i++) if (train.has(key(Xte, i))) seen++;
  return Xte.rows === 0 ? 0 : seen / Xte.rows;
}

/**
 * Everything of the profile models that does not depend on the main search (column subsets, their
 * preprocessing, folds, shares of seen vectors): the train stage does it while the main search runs on
 * the workers.
 */
export function prepareProfiles(ctx: StageContext, inp: Omit<ProfileInputs, 'settings'>): PreparedProfiles {
  const features = ctx.schema.features;
  // On large data the profile models learn from a stratified sample (planForData says so in the run).
  const sample = inp.sampleRows !== undefined && inp.sampleRows < inp.ytr.length ? stratifiedSample(inp.ytr, inp.sampleRows, ctx.options.seed) : undefined;
  const fitX = sample ? takeRows(inp.Xtr, sample) : inp.Xtr;
  const fitY = sample ? takeValues(inp.ytr, sample) : inp.ytr;
  const profiles = PROFILES.filter((p) => p.name !== 'all').map((profile): ProfilePrepared => {
    const cols = profileColumns(profile, features);
    const steps = preprocessorSteps(ctx.options);
    let Xtr = takeColumns(fitX, cols);
    for (const s of steps) Xtr = s.fitTransform(Xtr);
    const Xte = steps.reduce((m, s) => s.transform(m), takeColumns(inp.Xte, cols));
    const folds = stratifiedGroupKFold(fitY, featureVectorGroups(Xtr), inp.cvFolds, { seed: ctx.options.seed });
    return { profile, cols, steps, Xtr, ytr: fitY, Xte, folds, seen: seenShare(takeColumns(inp.Xtr, cols), takeColumns(inp.Xte, cols)) };
  });
  return { seenAll: seenShare(inp.Xtr, inp.Xte), profiles };
}

async function searchProfile(ctx: StageContext, inp: ProfileInputs, p: ProfilePrepared): Promise<ProfileSearched> {
  const spaces = inp.settings.map((c) => ({ kind: c.kind, grid: Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, [v]])) }));
  const search = await gridSearchCV(spaces, p.Xtr, p.ytr, { cv: p.folds, scoring: 'f1', posLabel: -1, nJobs: ctx.options.jobs, seed: ctx.options.seed, ...(inp.signal ? { signal: inp.signal } : {}) });
  const model = search.bestEstimator!;
  const probPhishing = phishingScores(model, p.Xte);
  return { ...p, search, model, test: testMetrics(inp.yte, { label: model.predict(p.Xte), probPhishing }) };
}

/**
 * Starts the searches of every smaller profile at once (they share the worker pool, so one search's
 * last tasks overlap the other's), to run while the caller finishes the main model; `writeProfiles`
 * takes the result. The outcome does not depend on the overlap (each search is seeded on its own).
 */
export function searchProfiles(ctx: StageContext, inp: ProfileInputs, prepared: PreparedProfiles): Promise<ProfileSearched[]> {
  return Promise.all(prepared.profiles.map((p) => searchProfile(ctx, inp, p)));
}

/** Writes the profile bundles and `profiles.json`, the 'all' profile being the run's own model. */
export async function writeProfiles(ctx: StageContext, prepared: PreparedProfiles, searched: readonly ProfileSearched[], run: ProfileRunModel): Promise<{ profiles: ProfileResult[]; key: string }> {
  const features = ctx.schema.features;
  const out: ProfileResult[] = [{
    name: 'all', features: [...features], kind: run.winner.kind, params: run.winner.params, cv: { f1: run.winner.cv.f1, f1Std: run.winner.cv.f1Std },
    test: run.winner.test, testVectorsSeenInTraining: prepared.seenAll, bundleKey: run.bundle.key, bundleSha256: run.bundle.sha256,
  }];
  for (const { profile, cols, steps, search, model, test, seen } of searched) {
    const names = cols.map((j) => features[j]!);
    const bytes = encodeBundle({
      featureNames: names, schemaHash: ctx.schema.hash, trainingDataHash: run.trainingDataHash,
      metrics: { cvF1: search.best.meanScore, f1Phishing: test.f1Phishing, accuracy: test.accuracy, rocAuc: test.rocAuc },
      libraryVersion: ctx.run.manifest.libraryVersion, createdAt: new Date().toISOString(),
      preprocessors: steps.map((s) => s.toState()), model: model.toState(),
    });
    const art = await ctx.run.write('train', `profile-${profile.name}.nsm`, bytes);
    out.push({
      name: profile.name, features: names, kind: search.best.kind, params: search.best.params, cv: { f1: search.best.meanScore, f1Std: search.best.stdScore },
      test, testVectorsSeenInTraining: seen, bundleKey: art.key, bundleSha256: art.sha256,
    });
    ctx.progress(1, `profile ${profile.label}: ${search.best.kind}, CV F1 ${search.best.meanScore.toFixed(4)}, test F1 ${test.f1Phishing.toFixed(4)}`);
  }
  const art = await ctx.run.write('train', PROFILES_ARTIFACT, JSON.stringify({ profiles: out }, null, 2));
  return { profiles: out, key: art.key };
}
