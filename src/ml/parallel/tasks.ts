/**
 * The tasks a worker thread can run, by name. A handler returns its result and the buffers to
 * transfer (not copy) back to the caller.
 */
import type { ForestTask } from '../trees/forest-grow.js';
import { growForestTrees } from '../trees/forest-grow.js';
import type { ScoreTask } from '../trees/score-task.js';
import { scoreRows } from '../trees/score-task.js';

export interface TaskResult {
  result: unknown;
  transfer: ArrayBuffer[];
}

export const taskHandlers: Record<string, (payload: unknown) => TaskResult> = {
  'forest.grow': (payload) => {
    const trees = growForestTrees(payload as ForestTask);
    const transfer: ArrayBuffer[] = [];
    for (const t of trees) {
      for (const a of [t.feature, t.thresholdBin, t.threshold, t.left, t.value, t.cover, t.gain]) transfer.push(a.buffer as ArrayBuffer);
    }
    return { result: trees, transfer };
  },
  'forest.score': (payload) => {
    scoreRows(payload as ScoreTask);
    return { result: null, transfer: [] };
  },
};
