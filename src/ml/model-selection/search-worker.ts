/**
 * The search's task on the process-wide worker pool (../parallel/pool.ts, registered as
 * `search.trial` in ../parallel/tasks.ts): the data arrives on SharedArrayBuffers with every task and
 * is wrapped once per search (`dataId`, the last few kept), so the fold binning cache of trial.ts sees
 * one data object per search and thread. A refit model crosses back as its state (typed arrays), rebuilt by the factory
 * on the calling side. Estimators are created from both model catalogs.
 */
import { matrix, type Matrix } from '../../core/matrix.js';
import { otherClassifiers } from '../catalog-others.js';
import { treeClassifiers } from '../catalog-trees.js';
import type { ClassifierFactory } from '../estimator.js';
import { requireFactory, runTrialTask, type TaskOutput, type TrialTask } from './trial.js';

export interface SearchTaskPayload {
  dataId: number;
  rows: number;
  cols: number;
  X: Float64Array;
  y: Float64Array;
  task: TrialTask;
}

const factories = new Map<string, ClassifierFactory>([...treeClassifiers, ...otherClassifiers].map((f) => [f.kind, f]));
/**
 * The data of the last few searches this thread served, newest first: searches that run at once (the
 * train stage's profile searches alongside its main search) take turns on a thread without losing
 * each other's data object, and with it their cached fold binning.
 */
const recent: { id: number; X: Matrix; y: Float64Array }[] = [];
const RECENT_DATA = 3;

export async function runSearchTask(p: SearchTaskPayload): Promise<TaskOutput> {
  let data = recent.find((d) => d.id === p.dataId);
  if (data === undefined) {
    data = { id: p.dataId, X: matrix(p.rows, p.cols, p.X), y: p.y };
    recent.unshift(data);
    recent.length = Math.min(recent.length, RECENT_DATA);
  }
  const output = await runTrialTask(requireFactory((k) => factories.get(k), p.task.kind), data.X, data.y, p.task);
  if (output.refit?.model) output.refit = { index: output.refit.index, fitSeconds: output.refit.fitSeconds, state: output.refit.model.toState() };
  return output;
}
