/**
 * The run summary kept in the RunStore index: what the CLI's `runs` and the UI's run pages show
 * without opening artifacts (stages with timings, candidates' metrics, the gate, split, validation, drift).
 */
import type { Manifest } from './run-artifacts.js';
import { STAGES, type EvaluateOutput, type StageOutputs } from './types.js';

/** The gate's verdict with what it rests on: both F1s, the rows scored and excluded, McNemar's test. */
export function gateSummary(ev: EvaluateOutput): Record<string, unknown> {
  return {
    accepted: ev.accepted, reason: ev.reason, candidateF1: ev.candidate.f1Phishing, championF1: ev.champion?.test.f1Phishing ?? null,
    ...(ev.rows ? { rows: ev.rows } : {}), ...(ev.mcnemar !== undefined ? { mcnemar: ev.mcnemar } : {}),
  };
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
    ...(train ? { candidates: train.candidates, best: train.best, f1: best?.test.f1Phishing ?? null, f1Legit: best?.test.f1Legit ?? null } : {}),
    ...(evaluate ? { gate: gateSummary(evaluate), championBefore: evaluate.champion } : {}),
    ...(push ? {
      champion: push.promoted && push.version !== null ? { version: push.version, kind: best?.kind ?? null } : null,
      registered: push.version === null ? null : { version: push.version, kind: best?.kind ?? null, promoted: push.promoted, challenger: push.challenger ?? false, reused: push.reused ?? false },
    } : {}),
  };
}
