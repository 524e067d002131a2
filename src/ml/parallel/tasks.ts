/**
 * The tasks a worker thread can run, by name: forest trees and scoring, and the model search's
 * cross-validation tasks. A handler returns (or resolves to) its result and the buffers to transfer
 * (not copy) back to the caller.
 */
import type { ClaimTask, ForestTask } from '../trees/forest-grow.js';
import { growClaimedTrees, growForestTrees } from '../trees/forest-grow.js';
import type { TreeArrays } from '../trees/tree.js';
import type { HistTeamShared } from '../trees/boost-team.js';
import { histHelper } from '../trees/boost-team.js';
import type { ClaimScoreTask } from '../trees/score-task.js';
import { scoreClaimedRows } from '../trees/score-task.js';
import { runSearchTask, type SearchTaskPayload } from '../model-selection/search-worker.js';

export interface TaskResult {
  result: unknown;
  transfer: ArrayBuffer[];
}

/** The buffers of grown trees, to transfer rather than copy. */
function treeBuffers(trees: readonly TreeArrays[]): ArrayBuffer[] {
  const transfer: ArrayBuffer[] = [];
  for (const t of trees) {
    for (const a of [t.feature, t.thresholdBin, t.threshold, t.left, t.value, t.cover, t.gain]) transfer.push(a.buffer as ArrayBuffer);
  }
  return transfer;
}

export const taskHandlers: Record<string, (payload: unknown) => TaskResult | Promise<TaskResult>> = {
  'forest.grow': (payload) => {
    const trees = growForestTrees(payload as ForestTask);
    return { result: trees, transfer: treeBuffers(trees) };
  },
  'forest.growClaimed': (payload) => {
    const got = growClaimedTrees(payload as ClaimTask);
    return { result: got, transfer: treeBuffers(got.trees) };
  },
  'boost.histHelper': (payload) => ({ result: histHelper(payload as HistTeamShared), transfer: [] }),
  'forest.scoreClaimed': (payload) => ({ result: scoreClaimedRows(payload as ClaimScoreTask), transfer: [] }),
  'search.trial': async (payload) => ({ result: await runSearchTask(payload as SearchTaskPayload), transfer: [] }),
};
