/**
 * Per-profile models, trained in the train stage of every run: besides the model on all 30 features,
 * one model per smaller feature profile (URL + page + fetch; URL only, see
 * src/data/url-features/feature-sets.ts), so a URL check answers with a model that saw exactly the
 * features it could compute instead of imputing the rest. Each profile model is chosen like the main
 * one among the setting each family got in the main search (its grid is not searched again): those
 * cross-validated by phishing F1 (the search engine) on folds that keep identical
 * *profile* vectors together, the best refitted on the training split, scored once on the held-out
 * test split. The 'all' profile is the run's own model.
 *
 * A family's profile searches start as soon as the main search has chosen its setting, and run on the
 * workers beside the rest of the main search and while the train stage scores and writes the main
 * model (startProfileSearches, then writeProfiles).
 * Writes `profile-<name>.nsm` bundles and `profiles.json` (what `loadProfileModels` reads back).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { takeColumns, takeRows, takeValues, type Matrix } from '../../core/matrix.js';
import { PROFILES, profileColumns, type ProfileName } from '../../data/url-features/feature-sets.js';
import { encodeBundle } from '../../ml/bundle.js';
import type { Classifier, Transformer } from '../../ml/estimator.js';
import { NsError } from '../../core/errors.js';
import { featureVectorGroups, parameterGrid, refitCandidate, searchCandidates, shareSearchData, stratifiedGroupKFold, stratifiedSample, type Split, type TrialResult } from '../../ml/model-selection/index.js';
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
  best: TrialResult;
  model: Classifier;
  test: TestMetrics;
}

/** The profiles' data, preprocessing and folds, plus the 'all' profile's seen share. */
export interface PreparedProfiles { seenAll: number; profiles: ProfilePrepared[] }

function seenShare(Xtr: Matrix, Xte: Matrix): number {
  // A row's key is its values' bytes (0 for -0 and one NaN for every NaN, so rows key alike exactly
  // when their values compare equal as numbers or are both NaN).
  const row = new Float64Array(Xtr.cols);
  const bytes = Buffer.from(row.buffer);
  const key = (X: Matrix, i: number): string => {
    for (let j = 0; j < X.cols; j++) {
      const v = X.data[i * X.cols + j]!;
      row[j] = v === 0 ? 0 : Number.isNaN(v) ? NaN : v;
    }
    return bytes.toString('latin1');
  };
  const train = new Set<string>();
  for (let i = 0; i < Xtr.rows; i++) train.add(key(Xtr, i));
  let seen = 0;
  for (let i = 0; i < Xte.rows; i++) if (train.has(key(Xte, i))) seen++;
  return Xte.rows === 0 ? 0 : seen / Xte.rows;
}

/**
 * Everything of the profile models that does not depend on the main search (column subsets, their
 * preprocessing, folds, shares of seen vectors): the train stage does it while the main search runs on
 * the workers, in steps with a turn of the event loop between them so the workers get their next tasks.
 */
export async function prepareProfiles(ctx: StageContext, inp: ProfileInputs): Promise<PreparedProfiles> {
  const features = ctx.schema.features;
  // On large data the profile models learn from a stratified sample (planForData says so in the run).
  const sample = inp.sampleRows !== undefined && inp.sampleRows < inp.ytr.length ? stratifiedSample(inp.ytr, inp.sampleRows, ctx.options.seed) : undefined;
  const fitX = sample ? takeRows(inp.Xtr, sample) : inp.Xtr;
  const fitY = sample ? takeValues(inp.ytr, sample) : inp.ytr;
  const profiles: ProfilePrepared[] = [];
  for (const profile of PROFILES.filter((p) => p.name !== 'all')) {
    await nextTurn();
    const cols = profileColumns(profile, features);
    const steps = preprocessorSteps(ctx.options);
    let Xtr = takeColumns(fitX, cols);
    for (const s of steps) Xtr = s.fitTransform(Xtr);
    const Xte = steps.reduce((m, s) => s.transform(m), takeColumns(inp.Xte, cols));
    const folds = stratifiedGroupKFold(fitY, featureVectorGroups(Xtr), inp.cvFolds, { seed: ctx.options.seed });
    await nextTurn();
    // In shared memory once: the profile's searches (one per family) send it to the workers once.
    const shared = shareSearchData(Xtr, fitY);
    profiles.push({ profile, cols, steps, Xtr: shared.X, ytr: shared.y, Xte, folds, seen: seenShare(takeColumns(inp.Xtr, cols), takeColumns(inp.Xte, cols)) });
  }
  await nextTurn();
  return { seenAll: seenShare(inp.Xtr, inp.Xte), profiles };
}

/**
 * The profile models' searches, family by family: `add` starts the cross-validation of a family's
 * chosen setting on every profile as soon as the main search has chosen it, so it runs on the workers
 * alongside the rest of the main search; `done`, once every family of the plan was added, takes per
 * profile the setting with the best mean CV F1 (ties: the family earlier in the plan, as gridSearchCV
 * ranks its candidates), refits it on the profile's training rows and scores it on its test rows.
 * The models are those of one gridSearchCV over all the families' settings (same folds, same fits).
 */
export interface ProfileSearches {
  add(kind: string, params: Record<string, unknown>): void;
  done(): Promise<ProfileSearched[]>;
}

export function startProfileSearches(ctx: StageContext, inp: { yte: Float64Array; signal?: AbortSignal }, prepared: PreparedProfiles, kinds: readonly string[]): ProfileSearches {
  const cv = prepared.profiles.map(() => new Map<string, Promise<TrialResult>>());
  const run = { nJobs: ctx.options.jobs, ...(inp.signal ? { signal: inp.signal } : {}) };
  return {
    add(kind, params) {
      // The setting as gridSearchCV lists a one-point grid (parameters in key order).
      const candidate = { kind, params: parameterGrid(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, [v]])))[0]! };
      prepared.profiles.forEach((p, i) => {
        const trial = searchCandidates([candidate], p.Xtr, p.ytr, { ...run, cv: p.folds, scoring: 'f1', posLabel: -1, refit: false }).then((r) => r.best);
        trial.catch(() => undefined);
        cv[i]!.set(kind, trial);
      });
    },
    done: () => Promise.all(prepared.profiles.map(async (p, i): Promise<ProfileSearched> => {
      const trials = await Promise.all(kinds.map((k) => cv[i]!.get(k) ?? Promise.reject(new NsError('STAGE_ORDER', `The profile search has no setting for ${k}.`, { kind: 'internal' }))));
      const best = trials.reduce((a, b) => (b.meanScore > a.meanScore ? b : a));
      const { estimator: model } = await refitCandidate(best, p.Xtr, p.ytr, run);
      const probPhishing = phishingScores(model, p.Xte);
      return { ...p, best, model, test: testMetrics(inp.yte, { label: model.predict(p.Xte), probPhishing }) };
    })),
  };
}

/** Writes the profile bundles and `profiles.json`, the 'all' profile being the run's own model. */
export async function writeProfiles(ctx: StageContext, prepared: PreparedProfiles, searched: readonly ProfileSearched[], run: ProfileRunModel): Promise<{ profiles: ProfileResult[]; key: string }> {
  const features = ctx.schema.features;
  const out: ProfileResult[] = [{
    name: 'all', features: [...features], kind: run.winner.kind, params: run.winner.params, cv: { f1: run.winner.cv.f1, f1Std: run.winner.cv.f1Std },
    test: run.winner.test, testVectorsSeenInTraining: prepared.seenAll, bundleKey: run.bundle.key, bundleSha256: run.bundle.sha256,
  }];
  for (const { profile, cols, steps, best, model, test, seen } of searched) {
    const names = cols.map((j) => features[j]!);
    const bytes = encodeBundle({
      featureNames: names, schemaHash: ctx.schema.hash, trainingDataHash: run.trainingDataHash,
      metrics: { cvF1: best.meanScore, f1Phishing: test.f1Phishing, accuracy: test.accuracy, rocAuc: test.rocAuc },
      libraryVersion: ctx.run.manifest.libraryVersion, createdAt: new Date().toISOString(),
      preprocessors: steps.map((s) => s.toState()), model: model.toState(),
    });
    const art = await ctx.run.write('train', `profile-${profile.name}.nsm`, bytes);
    out.push({
      name: profile.name, features: names, kind: best.kind, params: best.params, cv: { f1: best.meanScore, f1Std: best.stdScore },
      test, testVectorsSeenInTraining: seen, bundleKey: art.key, bundleSha256: art.sha256,
    });
    ctx.progress(1, `profile ${profile.label}: ${best.kind}, CV F1 ${best.meanScore.toFixed(4)}, test F1 ${test.f1Phishing.toFixed(4)}`);
  }
  const art = await ctx.run.write('train', PROFILES_ARTIFACT, JSON.stringify({ profiles: out }, null, 2));
  return { profiles: out, key: art.key };
}
