/**
 * The search's task on the process-wide worker pool (../parallel/pool.ts, registered as
 * `search.trial` in ../parallel/tasks.ts): the data arrives on SharedArrayBuffers with every task and
 * is wrapped once per search (`dataId`), so the fold binning cache of trial.ts sees one data object per
 * search and thread. A refit model crosses back as its state (typed arrays), rebuilt by the factory
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
let data: { id: number; X: Matrix; y: Float64Array } | undefined;

export async function runSearchTask(p: SearchTaskPayload): Promise<TaskOutput> {
  if (data?.id !== p.dataId) data = { id: p.dataId, X: matrix(p.rows, p.cols, p.X), y: p.y };
  const output = await runTrialTask(requireFactory((k) => factories.get(k), p.task.kind), data.X, data.y, p.task);
  if (output.refit?.model) output.refit = { index: output.refit.index, fitSeconds: output.refit.fitSeconds, state: output.refit.model.toState() };
  return output;
}
