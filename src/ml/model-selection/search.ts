/**
 * Hyper-parameter search, after scikit-learn's GridSearchCV / RandomizedSearchCV, over any classifier
 * kind of the catalogs: every candidate (kind + params) is cross-validated on the same folds, scored
 * (F1 for a chosen positive label by default), ranked by mean score (ties: the earlier candidate), and
 * the best is refit on all the data. Per-fold scores are kept so a tracker can log them as steps.
 * Folds and random candidates are seeded, and workers only change where tasks run, never the result.
 *
 * @example
 *   const r = await gridSearchCV([{ kind: 'logistic_regression', grid: { C: [0.1, 1, 10] } }], X, y, { cv: 3, nJobs: 2 });
 *   r.best.params; r.bestEstimator?.predict(Xtest);
 */
import { NsError } from '../../core/errors.js';
import type { Matrix } from '../../core/matrix.js';
import { Rng } from '../../core/rng.js';
import { otherClassifiers } from '../catalog-others.js';
import { treeClassifiers } from '../catalog-trees.js';
import type { Classifier, ClassifierFactory } from '../estimator.js';
import { stratifiedGroupKFold, stratifiedKFold } from './kfold.js';
import { runTasksInProcess, runTasksInWorkers, TaskQueue } from './search-queue.js';

export { shareSearchData, warmSearchWorkers } from './search-queue.js';
import type { Split } from './split.js';
import { stagedParam } from './staged.js';
import { requireFactory, runTrialTask, type Scoring, type TaskOutput, type TrialTask, type TrialTaskResult } from './trial.js';

/** A model kind and, per parameter, the values to try (the cartesian product is searched). */
export interface GridSpace {
  kind: string;
  grid: Record<string, readonly unknown[]>;
}

/** A list of values (picked uniformly) or a numeric range. */
export type Distribution = readonly unknown[] | { uniform: [number, number] } | { logUniform: [number, number] } | { intRange: [number, number] };

export interface RandomSpace {
  kind: string;
  distributions: Record<string, Distribution>;
}

export interface SearchOptions {
  /** Number of stratified folds (default 3) or explicit folds. */
  cv?: number | readonly Split[];
  /** With a numeric cv: keep each group in one fold (StratifiedGroupKFold), e.g. featureVectorGroups(X). */
  groups?: Int32Array;
  scoring?: Scoring;
  /** Positive label for F1 / ROC AUC (default 1). */
  posLabel?: number;
  /** Worker threads of the shared pool (../parallel/pool.ts); 1 (default) runs in this thread. */
  nJobs?: number;
  /** Keep every candidate's out-of-fold probabilities of posLabel (TrialResult.oof), e.g. to judge an ensemble. */
  oof?: boolean;
  /** Seeds the folds and the random candidates. */
  seed?: number;
  /**
   * Refit the best candidate on all of X, y (default true); 'perKind' refits the best of every kind
   * (SearchResult.bestByKind), each as soon as its kind is scored. With nJobs > 1 refits run on the
   * workers too and come back as model state.
   */
  refit?: boolean | 'perKind';
  /** Finds a factory by kind (default: both catalogs). Workers always use the catalogs. */
  lookup?: (kind: string) => ClassifierFactory | undefined;
  /**
   * Score smaller tree counts of forests and boosting as prefixes of one fit with the largest count
   * (exactly the smaller models; see staged.ts). Default true.
   */
  staged?: boolean;
  /** Called when one fold of a candidate of this kind is scored (progress within a family). */
  onFold?: (kind: string) => void;
  /** Called when a candidate has all its fold scores. */
  onTrial?: (trial: TrialResult) => void;
  /** Called when every candidate of a kind has its fold scores, with that kind's best (the one refit 'perKind' refits). */
  onKindScored?: (best: TrialResult) => void;
  signal?: AbortSignal;
}

export interface Candidate {
  kind: string;
  params: Record<string, unknown>;
}

export interface TrialResult extends Candidate {
  index: number;
  foldScores: number[];
  meanScore: number;
  stdScore: number;
  /** Sum of the fold fit times. */
  fitSeconds: number;
  /** With options.oof: per row of X, the probability of posLabel from the fold that held the row out (0 for rows no fold tests). */
  oof?: Float64Array;
}

export interface SearchResult {
  trials: TrialResult[];
  best: TrialResult;
  /** The best candidate refit on all the data (absent with refit: false). */
  bestEstimator?: Classifier;
  /** With refit 'perKind': each kind's best trial, refit on all the data. */
  bestByKind?: Record<string, { trial: TrialResult; estimator: Classifier; fitSeconds: number }>;
  folds: readonly Split[];
}

/** The cartesian product of a grid, in key order then value order (like scikit-learn's ParameterGrid). */
export function parameterGrid(grid: Record<string, readonly unknown[]>): Record<string, unknown>[] {
  let out: Record<string, unknown>[] = [{}];
  for (const key of Object.keys(grid).sort()) {
    const values = grid[key]!;
    if (!Array.isArray(values) || values.length === 0) {
      throw new NsError('BAD_PARAM', `Grid values for "${key}" must be a non-empty list.`, { kind: 'config', hint: `Give ${key} at least one value.` });
    }
    out = out.flatMap((p) => values.map((v: unknown) => ({ ...p, [key]: v })));
  }
  return out;
}

/** nIter seeded random candidates per space. */
export function sampleCandidates(spaces: readonly RandomSpace[], nIter: number, seed: number): Candidate[] {
  const rng = new Rng(seed);
  const out: Candidate[] = [];
  for (const space of spaces) {
    for (let t = 0; t < nIter; t++) {
      const params: Record<string, unknown> = {};
      for (const key of Object.keys(space.distributions).sort()) params[key] = draw(space.distributions[key]!, rng, key);
      out.push({ kind: space.kind, params });
    }
  }
  return out;
}

function draw(d: Distribution, rng: Rng, key: string): unknown {
  if (Array.isArray(d)) {
    if (d.length === 0) throw new NsError('BAD_PARAM', `Distribution for "${key}" is an empty list.`, { kind: 'config', hint: 'Give at least one value.' });
    return d[rng.int(d.length)];
  }
  if ('uniform' in d) return d.uniform[0] + rng.next() * (d.uniform[1] - d.uniform[0]);
  if ('logUniform' in d) {
    const [a, b] = d.logUniform;
    return Math.exp(Math.log(a) + rng.next() * (Math.log(b) - Math.log(a)));
  }
  if ('intRange' in d) return d.intRange[0] + rng.int(d.intRange[1] - d.intRange[0] + 1);
  throw new NsError('BAD_PARAM', `Unknown distribution for "${key}".`, { kind: 'config', hint: 'Use a list, {uniform}, {logUniform} or {intRange}.' });
}

/** The classifier factory of a kind from both catalogs (tree and other models), or undefined. */
export function findClassifier(kind: string): ClassifierFactory | undefined {
  return [...treeClassifiers, ...otherClassifiers].find((f) => f.kind === kind);
}

/** Exhaustive search over the grids of one or more kinds. */
export function gridSearchCV(spaces: GridSpace | readonly GridSpace[], X: Matrix, y: Float64Array, options: SearchOptions = {}): Promise<SearchResult> {
  const list = Array.isArray(spaces) ? (spaces as readonly GridSpace[]) : [spaces as GridSpace];
  return searchCandidates(list.flatMap((s) => parameterGrid(s.grid).map((params) => ({ kind: s.kind, params }))), X, y, options);
}

/** nIter random candidates per kind, drawn from the distributions with options.seed. */
export function randomizedSearchCV(spaces: RandomSpace | readonly RandomSpace[], nIter: number, X: Matrix, y: Float64Array, options: SearchOptions = {}): Promise<SearchResult> {
  const list = Array.isArray(spaces) ? (spaces as readonly RandomSpace[]) : [spaces as RandomSpace];
  if (!Number.isInteger(nIter) || nIter < 1) {
    return Promise.reject(new NsError('BAD_PARAM', `nIter must be a positive integer, got ${nIter}.`, { kind: 'config', hint: 'Use e.g. 20.' }));
  }
  return searchCandidates(sampleCandidates(list, nIter, options.seed ?? 0), X, y, options);
}

/** Cross-validates the given candidates and picks the best (the engine under both searches). */
export async function searchCandidates(candidates: readonly Candidate[], X: Matrix, y: Float64Array, options: SearchOptions = {}): Promise<SearchResult> {
  if (candidates.length === 0) throw new NsError('BAD_PARAM', 'The search has no candidates.', { kind: 'config', hint: 'Give at least one kind with one value per parameter.' });
  if (y.length !== X.rows) throw new NsError('BAD_SHAPE', `Got ${X.rows} rows in X but ${y.length} labels.`, { hint: 'Pass one label per row.' });
  const lookup = options.lookup ?? findClassifier;
  for (const c of candidates) requireFactory(lookup, c.kind);
  const cv = options.cv ?? 3;
  const folds: readonly Split[] = typeof cv === 'number'
    ? options.groups ? stratifiedGroupKFold(y, options.groups, cv, { seed: options.seed ?? 0 }) : stratifiedKFold(y, cv, { seed: options.seed ?? 0 })
    : cv;
  const scoring = options.scoring ?? 'f1';
  const posLabel = options.posLabel ?? 1;
  const perKind = options.refit === 'perKind';
  const oof = options.oof === true;
  const queue = new TaskQueue(buildTasks(candidates, folds, scoring, posLabel, options.staged !== false).map((t) => (oof ? { ...t, oof } : t)));
  const trials: (TrialResult | undefined)[] = new Array<TrialResult | undefined>(candidates.length);
  const remaining = new Int32Array(candidates.length).fill(folds.length);
  const kindLeft = new Map<string, number>();
  for (const c of candidates) kindLeft.set(c.kind, (kindLeft.get(c.kind) ?? 0) + 1);
  let trialsLeft = candidates.length;
  const perTask: TrialTaskResult[] = new Array<TrialTaskResult>(candidates.length * folds.length);
  const refits = new Map<number, { fitSeconds: number; estimator: Classifier }>();
  const refitTask = (ci: number): TrialTask => refitTaskOf(candidates[ci]!, ci);
  const bestOf = (kind?: string): TrialResult => {
    let best: TrialResult | undefined;
    for (const t of trials) if (t !== undefined && (kind === undefined || t.kind === kind) && (best === undefined || t.meanScore > best.meanScore)) best = t;
    return best!;
  };
  const onOutput = (o: TaskOutput): void => {
    if (o.refit) {
      refits.set(o.refit.index, refitOf(o.refit, requireFactory(lookup, candidates[o.refit.index]!.kind)));
      return;
    }
    for (const r of o.results) {
      perTask[r.id] = r;
      const ci = Math.floor(r.id / folds.length);
      options.onFold?.(candidates[ci]!.kind);
      if (--remaining[ci]! !== 0) continue;
      const t = summarise(ci, candidates[ci]!, perTask.slice(ci * folds.length, (ci + 1) * folds.length));
      if (oof) t.oof = outOfFold(perTask, ci, folds, y.length);
      trials[ci] = t;
      options.onTrial?.(t);
      trialsLeft--;
      const left = kindLeft.get(t.kind)! - 1;
      kindLeft.set(t.kind, left);
      // Refits start as soon as their kind (per kind) or the whole search (overall best) is scored.
      if (left === 0) options.onKindScored?.(bestOf(t.kind));
      if (perKind && left === 0) queue.push(refitTask(bestOf(t.kind).index), true);
      if (trialsLeft === 0) {
        if (options.refit === true || options.refit === undefined) queue.push(refitTask(bestOf().index), true);
        queue.close();
      }
    }
  };
  await runQueue(queue, X, y, options, lookup, onOutput);
  const done = trials as TrialResult[];
  const best = bestOf();
  const result: SearchResult = { trials: done, best, folds };
  if (refits.has(best.index)) result.bestEstimator = refits.get(best.index)!.estimator;
  if (perKind) {
    result.bestByKind = {};
    for (const kind of kindLeft.keys()) {
      const t = bestOf(kind);
      result.bestByKind[kind] = { trial: t, ...refits.get(t.index)! };
    }
  }
  return result;
}

/** Runs the queue on options.nJobs worker threads, or in this thread with nJobs 1. */
async function runQueue(queue: TaskQueue, X: Matrix, y: Float64Array, options: SearchOptions, lookup: (kind: string) => ClassifierFactory | undefined, onOutput: (o: TaskOutput) => void): Promise<void> {
  const nJobs = options.nJobs ?? 1;
  if (nJobs > 1) await runTasksInWorkers(queue, X, y, nJobs, onOutput, options.signal);
  else await runTasksInProcess(queue, (task) => runTrialTask(requireFactory(lookup, task.kind), X, y, task), onOutput, options.signal);
}

/** The task that fits candidate `c` (result slot `index`) on all rows. */
const refitTaskOf = (c: Candidate, index: number): TrialTask =>
  ({ ids: [index], kind: c.kind, params: c.params, train: new Int32Array(0), test: new Int32Array(0), scoring: 'f1', posLabel: 1, refit: true });

/** A refit task's model: as fitted in this thread, or rebuilt from the state a worker sent. */
function refitOf(r: NonNullable<TaskOutput['refit']>, factory: ClassifierFactory): { fitSeconds: number; estimator: Classifier } {
  return { fitSeconds: r.fitSeconds, estimator: r.model ?? factory.fromState(r.state!) };
}

/**
 * Fits one candidate on all of X, y exactly as a search's refit does (on a worker with nJobs > 1): for
 * callers that cross-validate candidates in separate searches and choose among them afterwards.
 */
export async function refitCandidate(c: Candidate, X: Matrix, y: Float64Array, options: Pick<SearchOptions, 'nJobs' | 'lookup' | 'signal'> = {}): Promise<{ fitSeconds: number; estimator: Classifier }> {
  const lookup = options.lookup ?? findClassifier;
  const factory = requireFactory(lookup, c.kind);
  const queue = new TaskQueue([refitTaskOf(c, 0)]);
  queue.close();
  let out: { fitSeconds: number; estimator: Classifier } | undefined;
  await runQueue(queue, X, y, options, lookup, (o) => {
    if (o.refit) out = refitOf(o.refit, factory);
  });
  return out!;
}

/**
 * One task per (candidate, fold); with `staged`, candidates of a staged kind (./staged.ts) that differ
 * only in the tree count share one task per fold, which fits the largest count and scores the others
 * as its prefixes. Larger tasks come first so the last ones to finish are small.
 */
function buildTasks(candidates: readonly Candidate[], folds: readonly Split[], scoring: Scoring, posLabel: number, staged: boolean): TrialTask[] {
  const groups = new Map<string, { ci: number[]; counts: number[]; param?: string }>();
  candidates.forEach((c, ci) => {
    const param = staged ? stagedParam(c.kind, c.params) : undefined;
    const rest = Object.keys(c.params).filter((k) => k !== param).sort().map((k) => [k, c.params[k]]);
    const key = param === undefined ? `#${ci}` : `${c.kind}|${param}|${JSON.stringify(rest)}`;
    const g = groups.get(key) ?? { ci: [], counts: [], ...(param !== undefined ? { param } : {}) };
    g.ci.push(ci);
    if (param !== undefined) g.counts.push(c.params[param] as number);
    groups.set(key, g);
  });
  const tasks: TrialTask[] = [];
  for (const g of groups.values()) {
    const c = candidates[g.ci[0]!]!;
    folds.forEach((f, fi) => {
      const ids = g.ci.map((ci) => ci * folds.length + fi);
      tasks.push({
        ids, kind: c.kind, params: c.params, train: f.train, test: f.test, scoring, posLabel,
        ...(g.param !== undefined && g.ci.length > 1 ? { staged: { param: g.param, counts: g.counts } } : {}),
      });
    });
  }
  const cost = (t: TrialTask): number => (t.staged ? Math.max(...t.staged.counts) : 1);
  return tasks.map((t, i) => ({ t, i })).sort((a, b) => cost(b.t) - cost(a.t) || a.i - b.i).map((e) => e.t);
}

function outOfFold(perTask: readonly TrialTaskResult[], ci: number, folds: readonly Split[], n: number): Float64Array {
  const out = new Float64Array(n);
  folds.forEach((f, fi) => {
    const p = perTask[ci * folds.length + fi]!.proba!;
    for (let k = 0; k < f.test.length; k++) out[f.test[k]!] = p[k]!;
  });
  return out;
}

function summarise(index: number, c: Candidate, results: TrialTaskResult[]): TrialResult {
  const foldScores = results.map((r) => r.score);
  const mean = foldScores.reduce((a, b) => a + b, 0) / foldScores.length;
  const std = Math.sqrt(foldScores.reduce((a, b) => a + (b - mean) ** 2, 0) / foldScores.length);
  return { index, kind: c.kind, params: c.params, foldScores, meanScore: mean, stdScore: std, fitSeconds: results.reduce((a, r) => a + r.fitSeconds, 0) };
}
