/**
 * Pipeline options from `train` flags (shared by `train` and `up`), with the defaults documented in
 * the README.
 */
import { classifierKinds } from '../../ml/catalog.js';
import { PRESETS, trainingPlan } from '../../pipeline/plan.js';
import { STAGES, type PipelineOptions, type StageName } from '../../pipeline/types.js';
import type { Logger } from '../../core/logger.js';
import type { FlagSpec } from '../command.js';
import { bool, num, oneOf, str } from '../flags.js';

type Flags = Record<string, string | boolean | undefined>;

export const trainFlags: FlagSpec[] = [
  { name: 'preset', type: 'string', value: '<name>', description: `training plan: ${PRESETS.join(', ')} (default: default)` },
  { name: 'full', type: 'boolean', description: 'read every record instead of only those newer than the last run' },
  { name: 'snapshot', type: 'string', value: '<sha256>', description: 'reproduce a run on a recorded data snapshot (prefix)' },
  { name: 'imputer', type: 'string', value: '<kind>', description: 'most_frequent (default), knn (k=3), mean or median' },
  { name: 'scaler', type: 'string', value: '<kind>', description: 'none (default), standard, minmax or robust' },
  { name: 'test-size', type: 'string', value: '<share>', description: 'held-out share (default 0.2)' },
  { name: 'cv', type: 'string', value: '<folds>', description: 'cross-validation folds (default 5; 3 with --preset original)' },
  { name: 'tolerance', type: 'string', value: '<f1>', description: 'accept a candidate whose F1 is above the champion\'s minus this (default 0: it must beat the champion)' },
  { name: 'max-bad-row-share', type: 'string', value: '<share>', description: 'fail validation above this share of bad rows (default 0.01)' },
  { name: 'drift-share', type: 'string', value: '<share>', description: 'share of drifted features that means data set drift (default 0.5)' },
  { name: 'seed', type: 'string', value: '<n>', description: 'random seed (default NS_SEED or 42)' },
  { name: 'jobs', type: 'string', value: '<n>', description: 'parallel workers (default 2)' },
];

export function pipelineOptions(flags: Flags, defaultSeed: number, logger: Logger): PipelineOptions {
  const preset = oneOf(flags, 'preset', PRESETS, 'default');
  const { plan, missing } = trainingPlan(preset, classifierKinds());
  if (missing.length > 0) logger.warn(`model kinds not available in this build, left out: ${missing.join(', ')}`);
  const snapshot = str(flags, 'snapshot');
  return {
    seed: num(flags, 'seed', defaultSeed, [0, 2 ** 31]),
    testSize: num(flags, 'test-size', 0.2, [0.05, 0.5]),
    full: bool(flags, 'full'),
    ...(snapshot ? { snapshot } : {}),
    plan,
    imputer: oneOf(flags, 'imputer', ['most_frequent', 'knn', 'mean', 'median'] as const, 'most_frequent'),
    scaler: oneOf(flags, 'scaler', ['none', 'standard', 'minmax', 'robust'] as const, 'none'),
    cvFolds: num(flags, 'cv', plan.cvFolds, [2, 20]),
    tolerance: num(flags, 'tolerance', 0, [0, 1]),
    maxBadRowShare: num(flags, 'max-bad-row-share', 0.01, [0, 1]),
    driftShareThreshold: num(flags, 'drift-share', 0.5, [0, 1]),
    jobs: num(flags, 'jobs', 2, [1, 64]),
  };
}

export function fromStage(flags: Flags): StageName | undefined {
  const v = str(flags, 'from');
  return v === undefined ? undefined : oneOf(flags, 'from', STAGES, 'ingest');
}

/** The options each train flag sets (a preset also sets its CV folds). */
const FLAG_OPTIONS: Record<string, (keyof PipelineOptions)[]> = {
  preset: ['plan', 'cvFolds'], full: ['full'], snapshot: ['snapshot'], imputer: ['imputer'], scaler: ['scaler'],
  'test-size': ['testSize'], cv: ['cvFolds'], tolerance: ['tolerance'], 'max-bad-row-share': ['maxBadRowShare'],
  'drift-share': ['driftShareThreshold'], seed: ['seed'], jobs: ['jobs'],
};

/** Only the options whose flags were given: what a re-run stage changes in its run (the rest stay as recorded). */
export function givenOptions(flags: Flags, options: PipelineOptions): Partial<PipelineOptions> {
  const out: Partial<PipelineOptions> = {};
  for (const [flag, keys] of Object.entries(FLAG_OPTIONS)) {
    if (flags[flag] === undefined) continue;
    for (const k of keys) if (options[k] !== undefined) Object.assign(out, { [k]: options[k] });
  }
  // An explicit --cv wins over the preset's folds.
  if (flags['cv'] !== undefined) out.cvFolds = options.cvFolds;
  return out;
}
