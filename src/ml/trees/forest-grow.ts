/**
 * Growing a batch of forest trees from seeds: the unit of work that runs in-process (nJobs = 1) or on
 * a worker thread. Everything in a task is typed arrays (shared through SharedArrayBuffer when sent to
 * a worker) plus numbers, so it crosses threads without copying the training data.
 */
import { Rng } from '../../core/rng.js';
import type { CartOptions } from './cart.js';
import { buildCart, buildCartWeighted } from './cart.js';
import type { PackedRows } from './cart-packed.js';
import { bootstrapDraws, bootstrapPackedWeights, growPacked, packRows, splitPackedWeights } from './cart-packed.js';
import type { TrainingSet } from './prepare.js';
import { vectorWeights } from './prepare.js';
import type { TreeArrays } from './tree.js';

export interface ForestTask {
  n: number;
  nFeatures: number;
  colBins: Uint8Array;
  nBins: Int32Array;
  edges: Float64Array;
  offsets: Int32Array;
  rowOf: Int32Array;
  y01: Uint8Array;
  rowWeight: Float64Array;
  /** Whether every rowWeight is 1 (no sample or class weights): a bootstrap then counts straight onto the vectors. */
  unitRows: boolean;
  /** bootstrapDraws of (rowOf, y01) and the number of class-1 rows, made once for all trees. */
  draws: Int32Array;
  ones: number;
  /** packRows of colBins, made once for all trees. */
  packed: PackedRows;
  bootstrap: boolean;
  cart: CartOptions;
  seeds: number[];
}

/** The task of growing `seeds`' trees on a prepared training set. */
export function forestTask(ts: TrainingSet, cart: CartOptions, bootstrap: boolean, seeds: number[]): ForestTask {
  const { n, nFeatures, colBins, rowOf } = ts.compact;
  const y01 = ts.target.y01;
  let ones = 0;
  for (let i = 0; i < y01.length; i++) ones += y01[i]!;
  return {
    n, nFeatures, colBins, nBins: ts.nBins, edges: ts.mapper.edges, offsets: ts.mapper.offsets, rowOf, y01, draws: bootstrapDraws(rowOf, y01), ones,
    rowWeight: ts.rowWeight, unitRows: ts.rowWeight.every((w) => w === 1), packed: packRows(colBins, n, nFeatures, ts.nBins), bootstrap, cart, seeds,
  };
}

/** How often each original row is drawn by the bootstrap of the tree with this seed. */
export function bootstrapCounts(rng: Rng, rows: number): Float64Array {
  const counts = new Float64Array(rows);
  for (let k = 0; k < rows; k++) counts[rng.int(rows)]! += 1;
  return counts;
}

/** The bootstrap weights of this thread's last tree, refilled by the next (growPacked does not keep them). */
let lastWeights: Float64Array | undefined;

/**
 * Grows the tree of one seed. The bootstrap draws come first from the tree's own generator; with unit
 * row weights they are counted straight onto the vectors for the packed CART (cart-packed.ts).
 */
function growOne(task: ForestTask, seed: number): TreeArrays {
  const data = { n: task.n, nFeatures: task.nFeatures, colBins: task.colBins, nBins: task.nBins, edges: task.edges, offsets: task.offsets, packed: task.packed };
  const rng = new Rng(seed);
  if (task.bootstrap && task.unitRows) {
    const weights = bootstrapPackedWeights(rng, task.draws, task.ones, task.n, lastWeights);
    if (weights !== null) {
      lastWeights = weights;
      const tree = growPacked(data, task.packed, weights, task.cart, rng);
      if (tree !== null) return tree;
      const { w0, w1, cnt } = splitPackedWeights(weights);
      return buildCartWeighted(data, w0, w1, cnt, task.cart, rng);
    }
  }
  const mult = task.bootstrap ? bootstrapCounts(rng, task.rowOf.length) : undefined;
  const { w0, w1, cnt } = vectorWeights(task.rowOf, task.y01, task.rowWeight, task.n, mult);
  return buildCart(data, w0, w1, cnt, task.cart, rng);
}

/** Grows one tree per seed. */
export function growForestTrees(task: ForestTask): TreeArrays[] {
  return task.seeds.map((seed) => growOne(task, seed));
}

/**
 * A forest task shared by several threads that take trees from one shared counter (work stealing
 * without messages): claim[0] is the next unclaimed tree index, claim[1] the number of trees done.
 */
export interface ClaimTask extends ForestTask {
  claim: Int32Array;
}

/** Trees grown by one thread of a ClaimTask, with their indices in `seeds`. */
export interface ClaimedTrees {
  index: number[];
  trees: TreeArrays[];
}

/**
 * Grows trees claimed one at a time from `task.claim` until none are left (or `stop()` says so), so
 * the threads that share the counter balance themselves; `afterEach` runs after each grown tree.
 */
export function growClaimedTrees(task: ClaimTask, stop: () => boolean = () => false, afterEach: () => void = () => undefined): ClaimedTrees {
  const out: ClaimedTrees = { index: [], trees: [] };
  while (!stop()) {
    const i = Atomics.add(task.claim, 0, 1);
    if (i >= task.seeds.length) break;
    out.index.push(i);
    out.trees.push(growOne(task, task.seeds[i]!));
    Atomics.add(task.claim, 1, 1);
    afterEach();
  }
  return out;
}
