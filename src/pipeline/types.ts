/**
 * Types shared by the pipeline runner and its stages. A stage is a typed async function of a
 * StageContext: it reads earlier stages' outputs (plain JSON in the manifest) and artifacts, writes its
 * own artifacts through RunArtifacts, and returns its outputs. Everything a stage returns is
 * serialisable, so a stage can run in-process or as a queue job and be re-run from the manifest.
 */
import type { Logger, ProgressEvent } from '../core/logger.js';
import type { Schema } from '../data/schema.js';
import type { ArtifactStore, RecordStore, Registry } from '../ports/index.js';
import type { RunArtifacts } from './run-artifacts.js';
import type { TrainingPlan } from './plan.js';
import type { TrackingSession } from './tracking-hooks.js';
import type { ProfileResult } from './stages/profiles.js';

export const STAGES = ['ingest', 'validate', 'transform', 'train', 'evaluate', 'push'] as const;
export type StageName = (typeof STAGES)[number];

export interface PipelineOptions {
  seed: number;
  /** Share of rows held out for the final test. */
  testSize: number;
  /** Read every record instead of only those newer than the last run's watermark. */
  full: boolean;
  /** Reproduce a run on a recorded snapshot (sha256 prefix). */
  snapshot?: string;
  /** Candidate models and grids. */
  plan: TrainingPlan;
  imputer: 'most_frequent' | 'knn' | 'mean' | 'median';
  scaler: 'none' | 'standard' | 'minmax' | 'robust';
  cvFolds: number;
  /** A candidate is accepted when its F1 is above champion F1 − tolerance (at 0, a tie keeps the champion). */
  tolerance: number;
  /** The run fails validation when more than this share of rows is bad (bad rows are quarantined either way). */
  maxBadRowShare: number;
  /** Share of drifted features that makes the data set drift. */
  driftShareThreshold: number;
  /** Parallel workers for the training search (1 = in-process). */
  jobs: number;
}

export interface StageContext {
  runId: string;
  options: PipelineOptions;
  schema: Schema;
  records: RecordStore;
  artifacts: ArtifactStore;
  registry: Registry;
  run: RunArtifacts;
  /** Outputs of the stages completed before this one. */
  outputs: Partial<StageOutputs>;
  logger: Logger;
  progress(fraction: number, message?: string, data?: Record<string, unknown>): void;
  signal?: AbortSignal;
  /** Tracking of candidates (child runs); never throws. */
  tracking: TrackingSession;
}

export interface IngestOutput {
  snapshotKey: string;
  snapshotSha256: string;
  rows: number;
  /** Highest record updatedAt seen (ms): the next incremental run reads only newer records. */
  watermark: number;
  newRecords: number;
  baseSnapshot: string | null;
  trainKey: string;
  testKey: string;
  trainRows: number;
  testRows: number;
  duplicates: { distinctVectors: number; duplicateRows: number; conflictingLabels: number };
  split: {
    /**
     * 'stable-balanced': the carried split's vectors keep their side, the others are placed in seeded hash
     * order so each class keeps its share (older runs: 'stable-hash', a side per vector hash alone;
     * 'leakage-aware-stratified').
     */
    strategy: 'stable-balanced' | 'stable-hash' | 'leakage-aware-stratified';
    testSize: number; seed: number; groupsOnBothSides: number;
    /** The run whose split this one carried forward (null: split afresh; absent in older runs). */
    carriedFrom?: string | null;
    /** sha256 of the test split file (absent in older runs); part of the training key. */
    testSha256?: string;
    /** Share of phishing rows in the whole snapshot and on each side (absent in runs before the stable split). */
    phishingShare?: { whole: number; train: number; test: number };
  };
}

export interface ValidateOutput {
  ok: boolean;
  reportKey: string;
  driftReportKey: string | null;
  quarantineKey: string | null;
  badRowCount: number;
  trainKey: string;
  testKey: string;
  trainRows: number;
  testRows: number;
  drift: { datasetDrift: boolean; driftedShare: number; driftedFeatures: string[]; baselineVersion: number } | null;
}

export interface TransformOutput {
  preprocessorKey: string;
  steps: string[];
}

export interface CandidateResult {
  name: string;
  kind: string;
  params: Record<string, unknown>;
  /** Mean, std and per-fold F1 of the chosen setting; `settings`: how many grid points were cross-validated. */
  cv: { f1: number; f1Std: number; folds: number[]; settings?: number };
  test: TestMetrics;
  fitMs: number;
  featureImportances?: Record<string, number>;
}

export interface TestMetrics {
  /** Headline: F1 with phishing (Result = -1) as the positive class. */
  f1Phishing: number;
  /** F1 with Result = 1 positive, as the original project reported. */
  f1Legit: number;
  precision: number;
  recall: number;
  accuracy: number;
  rocAuc: number;
  /** [[tn, fp], [fn, tp]] with phishing positive. */
  confusion: [[number, number], [number, number]];
  /** Where f1Phishing could be on another draw of the test vectors: a group bootstrap (src/ml/metrics/bootstrap.ts). */
  f1PhishingInterval?: { low: number; high: number; level: number };
}

export interface TrainOutput {
  candidates: CandidateResult[];
  best: string;
  bundleKey: string;
  bundleSha256: string;
  metricsKey: string;
  curvesKey: string;
  /** One model per feature profile (stages/profiles.ts); absent in runs made before profiles existed. */
  profiles?: ProfileResult[];
  profilesKey?: string;
}

export interface EvaluateOutput {
  accepted: boolean;
  reason: string;
  /** The candidate's metrics on the rows both were scored on (all test rows when there is no champion). */
  candidate: TestMetrics;
  champion: { version: number; test: TestMetrics } | null;
  /**
   * Test rows, those excluded because their feature vector is in the champion's training split (null:
   * no champion was scored, or its training data is gone), and those scored. Absent in older runs.
   */
  rows?: { test: number; excluded: number | null; scored: number };
  /** McNemar's exact test on the scored rows; null without a champion to compare. */
  mcnemar?: { candidateOnlyCorrect: number; championOnlyCorrect: number; pValue: number } | null;
}

export interface PushOutput {
  /** The version registered for the candidate (null only in runs before every candidate was registered). */
  version: number | null;
  /** The champion alias moved to it. */
  promoted: boolean;
  bundleKey: string | null;
  /** It carries the challenger alias (registered, not promoted). */
  challenger?: boolean;
  /** An earlier run with the same training key registered it; nothing new was registered. */
  reused?: boolean;
}

export interface StageOutputs {
  ingest: IngestOutput;
  validate: ValidateOutput;
  transform: TransformOutput;
  train: TrainOutput;
  evaluate: EvaluateOutput;
  push: PushOutput;
}

export type Stage<N extends StageName> = (ctx: StageContext) => Promise<StageOutputs[N]>;

export type PipelineListener = (event: ProgressEvent) => void;
