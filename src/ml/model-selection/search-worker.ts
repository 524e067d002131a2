/**
 * Worker thread of the search pool (./pool.ts): receives the data once, then trial tasks, and answers
 * each with its scores or refit model state (or the error as JSON). Estimators are created from both model catalogs.
 */
import { parentPort } from 'node:worker_threads';
import { toNsError } from '../../core/errors.js';
import { matrix, type Matrix } from '../../core/matrix.js';
import { otherClassifiers } from '../catalog-others.js';
import { treeClassifiers } from '../catalog-trees.js';
import type { ClassifierFactory } from '../estimator.js';
import { requireFactory, runTrialTask, type TrialTask } from './trial.js';

type Message = { type: 'data'; rows: number; cols: number; X: Float64Array; y: Float64Array } | { type: 'task'; task: TrialTask };

const factories = new Map<string, ClassifierFactory>([...treeClassifiers, ...otherClassifiers].map((f) => [f.kind, f]));
let X: Matrix | undefined;
let y: Float64Array | undefined;

async function handle(task: TrialTask): Promise<void> {
  try {
    const output = await runTrialTask(requireFactory((k) => factories.get(k), task.kind), X!, y!, task);
    // A refit model crosses back as its state (typed arrays), rebuilt by the factory on the other side.
    if (output.refit?.model) output.refit = { index: output.refit.index, fitSeconds: output.refit.fitSeconds, state: output.refit.model.toState() };
    parentPort!.postMessage({ type: 'result', output });
  } catch (e) {
    const err = toNsError(e);
    parentPort!.postMessage({ type: 'error', ids: task.ids, error: { code: err.code, message: err.message, hint: err.hint, kind: err.kind } });
  }
}

parentPort!.on('message', (msg: Message) => {
  if (msg.type === 'data') {
    X = matrix(msg.rows, msg.cols, msg.X);
    y = msg.y;
  } else {
    void handle(msg.task);
  }
});
