/**
 * CART on pre-binned columns for binary classification: depth-first growth, the split of each node
 * chosen from per-bin class-weight histograms (one pass over the node's rows per candidate feature).
 * Used by DecisionTree, RandomForest ('best' splitter), ExtraTrees ('random' splitter) and AdaBoost.
 *
 * Rows are the distinct vectors of compact.ts; w0[u] / w1[u] are the weights of class 0 / 1 on
 * vector u (sample weight x class weight x bootstrap count) and cnt[u] the number of rows behind it,
 * which the min-samples rules count.
 */
import { giniPurityMass, impurityMass, negEntropyMass, newBestCut, resetBestCut, scanCuts, stopsSplitting } from './cart-impurity.js';
import type { PackedRows } from './cart-packed.js';
import type { Rng } from '../../core/rng.js';
import { buildCartPacked, packRows, PACKED_MAX_W0, PACKED_MAX_W1 } from './cart-packed.js';
import type { TreeArrays } from './tree.js';
import { partitionByBin, TreeBuilderBuffer } from './tree.js';

export { giniPurityMass, impurityMass, negEntropyMass };

export type Criterion = 'gini' | 'entropy' | 'log_loss';

/** The binned training vectors a tree is grown on. */
export interface CartData {
  n: number;
  nFeatures: number;
  /** Column-major bins: colBins[f * n + u]. */
  colBins: Uint8Array;
  /** Bins per feature. */
  nBins: Int32Array;
  edges: Float64Array;
  offsets: Int32Array;
  /** packRows of colBins, when already made (a forest packs once for all its trees). */
  packed?: PackedRows;
}

export interface CartOptions {
  criterion: Criterion;
  /** Infinity for unlimited. */
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** Non-constant features to examine per node (resolved from maxFeatures). */
  maxFeatures: number;
  splitter: 'best' | 'random';
}

/**
 * Grows one tree; returns its arrays (leaf value = weighted share of class 1). Integer weights with
 * counts equal to them (unweighted data, bootstrap counts) take the faster, bit-identical path of
 * cart-packed.ts.
 */
export function buildCart(data: CartData, w0: Float64Array, w1: Float64Array, cnt: Float64Array, opt: CartOptions, rng: Rng): TreeArrays {
  const { n, nFeatures, colBins, nBins } = data;
  const tree = countsAreIntegerWeights(w0, w1, cnt, n) ? buildCartPacked(data, data.packed ?? packRows(colBins, n, nFeatures, nBins), w0, w1, opt, rng) : null;
  return tree ?? buildCartWeighted(data, w0, w1, cnt, opt, rng);
}

/** buildCart for any weights (exported for the tests that hold cart-packed.ts to it). */
export function buildCartWeighted(data: CartData, w0: Float64Array, w1: Float64Array, cnt: Float64Array, opt: CartOptions, rng: Rng): TreeArrays {
  const { n, nFeatures, colBins, nBins } = data;
  const entropy = opt.criterion !== 'gini';
  const purity = entropy ? negEntropyMass : giniPurityMass;
  const minLeaf = opt.minSamplesLeaf;
  const random = opt.splitter === 'random';
  const best = newBestCut();

  // With unit weights (no sample or class weights) a vector's row count is w0 + w1 exactly (integers),
  // so the histogram pass sums two numbers per row instead of three and derives the counts.
  let unit = true;
  for (let u = 0; u < n && unit; u++) unit = cnt[u] === w0[u]! + w1[u]!;
  const S = unit ? 2 : 3;
  // Interleaved (w0, w1[, cnt]) per vector: the histogram pass touches one cache line per row, not three.
  const wv = new Float64Array(S * n);
  const idx = new Int32Array(n);
  let m = 0;
  let W0 = 0;
  let W1 = 0;
  let Wc = 0;
  for (let u = 0; u < n; u++) {
    if (!(cnt[u]! > 0)) continue;
    idx[m++] = u;
    wv[S * u] = w0[u]!;
    wv[S * u + 1] = w1[u]!;
    if (!unit) wv[3 * u + 2] = cnt[u]!;
    W0 += w0[u]!;
    W1 += w1[u]!;
    Wc += cnt[u]!;
  }

  const features = new Int32Array(nFeatures);
  for (let f = 0; f < nFeatures; f++) features[f] = f;
  const h = new Float64Array(3 * 256);
  // Features found constant in a node stay constant below it: row d holds the flags a node at depth d
  // inherits (depth-first order never overwrites a row a pending sibling still needs).
  let constFlags = new Uint8Array(nFeatures * 64);

  const buf = new TreeBuilderBuffer(Math.min(1 << 16, 2 * m + 1));
  buf.addLeaf(W0 + W1 > 0 ? W1 / (W0 + W1) : 0.5, W0 + W1);

  // Explicit stack of (node, start, end, depth, w0, w1, count): recursion depth would follow tree depth,
  // and carrying the totals saves a pass over the node's rows.
  const stack: number[] = [0, 0, m, 0, W0, W1, Wc];
  while (stack.length > 0) {
    const Nc = stack.pop()!;
    const N1 = stack.pop()!;
    const N0 = stack.pop()!;
    const depth = stack.pop()!;
    const end = stack.pop()!;
    const start = stack.pop()!;
    const node = stack.pop()!;
    if (stopsSplitting(opt, depth, Nc, N0, N1)) continue;

    resetBestCut(best);
    if ((depth + 2) * nFeatures > constFlags.length) {
      const grown = new Uint8Array(constFlags.length * 2);
      grown.set(constFlags);
      constFlags = grown;
    }
    const flagsIn = depth * nFeatures;
    const flagsOut = flagsIn + nFeatures;
    constFlags.copyWithin(flagsOut, flagsIn, flagsOut);
    let visited = 0;
    let nonConstant = 0;
    while (nonConstant < opt.maxFeatures && visited < nFeatures) {
      const j = visited + rng.int(nFeatures - visited);
      const f = features[j]!;
      features[j] = features[visited]!;
      features[visited] = f;
      visited++;
      if (constFlags[flagsIn + f] === 1) continue;

      const nb = nBins[f]!;
      h.fill(0, 0, 3 * nb);
      const base = f * n;
      // Hot loop, inlined by hand: one pass over the node's rows, adds into the bin's slots.
      if (unit) {
        for (let k = start; k < end; k++) {
          const u = idx[k]!;
          const b = 3 * colBins[base + u]!;
          h[b]! += wv[2 * u]!;
          h[b + 1]! += wv[2 * u + 1]!;
        }
        for (let b = 0; b < nb; b++) h[3 * b + 2] = h[3 * b]! + h[3 * b + 1]!;
      } else {
        for (let k = start; k < end; k++) {
          const u = idx[k]!;
          const b = 3 * colBins[base + u]!;
          const o = 3 * u;
          h[b]! += wv[o]!;
          h[b + 1]! += wv[o + 1]!;
          h[b + 2]! += wv[o + 2]!;
        }
      }
      let lo = 0;
      while (h[3 * lo + 2] === 0) lo++;
      let hi = nb - 1;
      while (h[3 * hi + 2] === 0) hi--;
      if (lo === hi) {
        constFlags[flagsOut + f] = 1;
        continue;
      }
      nonConstant++;

      // Extra-trees: one uniformly drawn cut between the smallest and largest bin present.
      const last = random ? lo + rng.int(hi - lo) : hi - 1;
      const first = random ? last : lo;
      scanCuts(h, 0, f, lo, first, last, N0, N1, Nc, minLeaf, random, purity, best);
    }
    const bestF = best[1]!;
    if (bestF < 0) continue;
    const bestBin = best[2]!;
    const bL0 = best[3]!;
    const bL1 = best[4]!;
    const bLc = best[5]!;

    // Partition the node's rows in place: left part gets bin <= bestBin.
    const i = partitionByBin(colBins, bestF * n, bestBin, idx, start, end);
    const bR0 = N0 - bL0;
    const bR1 = N1 - bL1;
    const gain = impurityMass(entropy, N0, N1) - impurityMass(entropy, bL0, bL1) - impurityMass(entropy, bR0, bR1);
    const wl = bL0 + bL1;
    const wr = bR0 + bR1;
    const l = buf.split(node, bestF, bestBin, Math.max(0, gain), wl > 0 ? bL1 / wl : 0.5, wl, wr > 0 ? bR1 / wr : 0.5, wr);
    stack.push(l + 1, i, end, depth + 1, bR0, bR1, Nc - bLc);
    stack.push(l, start, i, depth + 1, bL0, bL1, bLc);
  }
  return buf.finish(data.edges, data.offsets);
}

/**
 * Whether every cnt[u] is w0[u] + w1[u], all non-negative integers, with class totals small enough
 * for cart-packed.ts.
 */
function countsAreIntegerWeights(w0: Float64Array, w1: Float64Array, cnt: Float64Array, n: number): boolean {
  let t0 = 0;
  let t1 = 0;
  for (let u = 0; u < n; u++) {
    const a = w0[u]!;
    const b = w1[u]!;
    if (!(a >= 0 && b >= 0 && Number.isInteger(a) && Number.isInteger(b) && cnt[u] === a + b)) return false;
    t0 += a;
    t1 += b;
  }
  return t0 <= PACKED_MAX_W0 && t1 <= PACKED_MAX_W1;
}
