/**
 * The run summary kept in the RunStore index: what the CLI's `runs` and the UI's run pages show
 * without opening artifacts (stages with timings, candidates' metrics, the gate, split, validation, drift).
 */
import type { Manifest } from './run-artifacts.js';
import type { ProfileResult } from './stages/profiles.js';
import { CHOSEN_BY } from './stages/train.js';
import { STAGES, type EvaluateOutput, type StageOutputs } from './types.js';

/** The gate's verdict with what it rests on: both F1s, the rows scored and excluded, McNemar's test. */
export function gateSummary(ev: EvaluateOutput) {
  return {
    accepted: ev.accepted, reason: ev.reason, candidateF1: ev.candidate.f1Phishing, championF1: ev.champion?.test.f1Phishing ?? null,
    ...(ev.rows ? { rows: ev.rows } : {}), ...(ev.mcnemar !== undefined ? { mcnemar: ev.mcnemar } : {}),
  };
}

/**
 * One feature-profile model of the run, as the run summary (`GET /api/v1/runs/:id` → `summary.profiles`,
 * `runs --json`) reports it: the profile's name ('all', 'url_page_fetch', 'url'), how many features it
 * takes, the winning kind, its cross-validated and held-out test F1 (phishing positive), and the share of
 * test rows whose profile vector also occurs in training.
 */
export interface RunProfileSummary {
  name: string;
  features: number;
  kind: string;
  cvF1: number;
  testF1: number;
  testVectorsSeenInTraining: number;
}

export function profileSummaries(profiles: readonly ProfileResult[]): RunProfileSummary[] {
  return profiles.map((p) => ({ name: p.name, features: p.features.length, kind: p.kind, cvF1: p.cv.f1, testF1: p.test.f1Phishing, testVectorsSeenInTraining: p.testVectorsSeenInTraining }));
}

/** The profiles' F1s as tracking metrics of the run: `profile_<name>_test_f1_phishing` and `profile_<name>_cv_f1_phishing`. */
export function profileMetrics(profiles: readonly ProfileResult[]): Record<string, number> {
  return Object.fromEntries(profiles.flatMap((p) => [[`profile_${p.name}_test_f1_phishing`, p.test.f1Phishing], [`profile_${p.name}_cv_f1_phishing`, p.cv.f1]]));
}

export function buildSummary(
  outputs: Partial<StageOutputs>,
  manifest: Manifest,
  live: Record<string, { startedAt: string; finishedAt?: string; status: string }>,
): Record<string, unknown> {
  const stages = STAGES.map((name) => {
    const done = manifest.stages[name];
    if (done) return { name, status: 'completed', startedAt: done.startedAt, finishedAt: done.finishedAt, durationMs: done.durationMs };
    const l = live[name];
    return l ? { name, status: l.status, startedAt: l.startedAt, finishedAt: l.finishedAt ?? null, durationMs: l.finishedAt ? Date.parse(l.finishedAt) - Date.parse(l.startedAt) : null } : { name, status: 'pending' };
  });
  const { ingest, validate, train, evaluate, push } = outputs;
  const best = train?.candidates.find((c) => c.name === train.best);
  return {
    stages,
    options: { preset: manifest.options.plan.preset, seed: manifest.options.seed, testSize: manifest.options.testSize, imputer: manifest.options.imputer, scaler: manifest.options.scaler },
    ...(ingest ? { data: { rows: ingest.rows, newRecords: ingest.newRecords, snapshotSha256: ingest.snapshotSha256, watermark: ingest.watermark, duplicates: ingest.duplicates }, split: { ...ingest.split, trainRows: ingest.trainRows, testRows: ingest.testRows } } : {}),
    ...(validate ? { validation: { ok: validate.ok, badRowCount: validate.badRowCount }, drift: validate.drift } : {}),
    ...(train ? { candidates: train.candidates, best: train.best, chosenBy: CHOSEN_BY, f1: best?.test.f1Phishing ?? null, f1Legit: best?.test.f1Legit ?? null } : {}),
    ...(train?.profiles ? { profiles: profileSummaries(train.profiles) } : {}),
    ...(evaluate ? { gate: gateSummary(evaluate), championBefore: evaluate.champion } : {}),
    ...(push ? {
      champion: push.promoted && push.version !== null ? { version: push.version, kind: best?.kind ?? null } : null,
      registered: push.version === null ? null : { version: push.version, kind: best?.kind ?? null, promoted: push.promoted, challenger: push.challenger ?? false, reused: push.reused ?? false },
    } : {}),
  };
}

/**
 * What a finished run tells its caller (`train --json`, a queued training job's result): plain JSON,
 * the same whether the run ran here or on a worker.
 */
export function resultSummary(result: { runId: string; resumedFrom: string | null; outputs: Partial<StageOutputs>; record: { status: string } }) {
  const { train, evaluate, push, ingest } = result.outputs;
  return {
    runId: result.runId, resumedFrom: result.resumedFrom, status: result.record.status,
    data: ingest ? { rows: ingest.rows, newRecords: ingest.newRecords, snapshotSha256: ingest.snapshotSha256, duplicates: ingest.duplicates, split: ingest.split, trainRows: ingest.trainRows, testRows: ingest.testRows } : null,
    candidates: train?.candidates ?? [], best: train?.best ?? null, profiles: train?.profiles ?? [],
    gate: evaluate ? gateSummary(evaluate) : null,
    champion: push?.promoted ? push.version : null,
    registered: push?.version != null ? { version: push.version, promoted: push.promoted, challenger: push.challenger ?? false, reused: push.reused ?? false } : null,
    f1Phishing: evaluate?.candidate.f1Phishing ?? null, f1Legit: evaluate?.candidate.f1Legit ?? null,
  };
}

export type ResultSummary = ReturnType<typeof resultSummary>;
