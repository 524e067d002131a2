/**
 * The fast path of buildCart (cart.ts) for integer class weights with counts equal to them
 * (unweighted fits, bootstrap counts): the same depth-first CART, the same generator draws and the
 * same splits, on a different layout.
 *
 * - Each distinct vector's bins are packed row-major into a few 32-bit words (`PackedRows`; ternary
 *   features take 2 bits, so 30 features fit in 2 words).
 * - The node's rows stay contiguous by position: their words and one weight each move with the
 *   partition, so a histogram pass reads sequential arrays instead of gathering by vector index.
 * - A row's two class weights are one 32-bit integer, w0 + w1 * 2^S: one add sums both classes,
 *   exactly, and a bin's row count is w0 + w1. S is chosen per tree from its class-0 total (2^S above
 *   it, so sums of any size decode exactly; the sums are doubles once they pass 2^31). The weights come
 *   in as w0 + w1 * 2^26 in doubles (exact for any realistic data); a tree whose largest class-1
 *   weight on one vector does not fit 31 - S bits (a vector repeated thousands of times in a large
 *   set) is grown by the general builder from the same weights and draws. For features with at most 3 bins the pass keeps two
 *   sums in registers instead of a histogram in memory.
 * - A node first finds which bits vary among its rows (OR ^ AND of its words, one cheap pass), so a
 *   feature constant in the node is skipped without a histogram, as the general path skips it after one.
 * - A split whose two children cannot split again skips the partition; when only one of them can,
 *   just its rows are compacted in place.
 * - Partitioning is branch-free and goes from one pair of position buffers to the other (left rows
 *   from the front, right rows from the back), with no copy back; row order inside a node does not matter.
 *
 * Sums of integers do not depend on the order of the rows, so the trees are bit-identical to those of
 * the general path (cart-packed.test.ts holds them to it).
 */
import { giniPurityMass, impurityMass, negEntropyMass, stopsSplitting } from './cart-impurity.js';
import type { CartData, CartOptions } from './cart.js';
import type { Rng } from '../../core/rng.js';
import type { TreeArrays } from './tree.js';
import { TreeBuilderBuffer } from './tree.js';
import { compactSide, histogram, partitionTwoWords, partitionWords, positions, swapBuffers, ternaryFive, ternaryOne, ternaryPair, ternaryQuad, ternaryThree, varyingBits } from './cart-packed-kernels.js';

/** Row-major packed bins of the distinct vectors: feature f of vector u is bits `width` wide. */
export interface PackedRows {
  /** words per vector; vector u's words are bits[u * words .. u * words + words). */
  words: number;
  /** Bits per feature: 1, 2, 4 or 8. */
  width: number;
  bits: Int32Array;
}

/** Weight scale of class 1 in the combined weights handed to growPacked: w0 + w1 * 2^26. */
const SHIFT = 2 ** 26;

/** The largest class totals the packed path takes: every combined sum stays an exact integer below 2^53. */
export const PACKED_MAX_W0 = SHIFT - 1;
export const PACKED_MAX_W1 = 2 ** 27 - 1;

/** Packs column-major bins (colBins[f * n + u]) into row-major words. */
export function packRows(colBins: Uint8Array, n: number, nFeatures: number, nBins: Int32Array): PackedRows {
  let maxBin = 0;
  for (let f = 0; f < nFeatures; f++) maxBin = Math.max(maxBin, nBins[f]! - 1);
  const width = maxBin < 2 ? 1 : maxBin < 4 ? 2 : maxBin < 16 ? 4 : 8;
  const perWord = 32 / width;
  const words = Math.max(1, Math.ceil(nFeatures / perWord));
  const bits = new Int32Array(n * words);
  for (let f = 0; f < nFeatures; f++) {
    const w = Math.floor(f / perWord);
    const sh = (f % perWord) * width;
    const base = f * n;
    for (let u = 0; u < n; u++) bits[u * words + w]! |= colBins[base + u]! << sh;
  }
  return { words, width, bits };
}

/**
 * buildCart for non-negative integer weights (w0[u], w1[u]; row count = w0 + w1) with class totals
 * up to PACKED_MAX_W0 / PACKED_MAX_W1. `packed` = packRows of `data`. Null, with `rng` not drawn,
 * when one vector's weight is too large for the packed rows (see growPacked).
 */
export function buildCartPacked(data: CartData, packed: PackedRows, w0: Float64Array, w1: Float64Array, opt: CartOptions, rng: Rng): TreeArrays | null {
  const weights = new Float64Array(data.n);
  for (let u = 0; u < data.n; u++) weights[u] = w0[u]! + w1[u]! * SHIFT;
  return growPacked(data, packed, weights, opt, rng);
}

/** The class weights and row counts (w0, w1, w0 + w1) of combined weights w0 + w1 * 2^26. */
export function splitPackedWeights(weights: Float64Array): { w0: Float64Array; w1: Float64Array; cnt: Float64Array } {
  const n = weights.length;
  const w0 = new Float64Array(n);
  const w1 = new Float64Array(n);
  const cnt = new Float64Array(n);
  for (let u = 0; u < n; u++) {
    const p = weights[u]!;
    const c1 = Math.floor(p / SHIFT);
    w1[u] = c1;
    w0[u] = p - c1 * SHIFT;
    cnt[u] = w0[u]! + c1;
  }
  return { w0, w1, cnt };
}

/**
 * What one bootstrap draw of each original row adds to its vector: draws[i] = rowOf[i] * 2 + y01[i]
 * (vector and class in one word, so a draw reads one array at a random place instead of two).
 */
export function bootstrapDraws(rowOf: Int32Array, y01: Uint8Array): Int32Array {
  const draws = new Int32Array(rowOf.length);
  for (let i = 0; i < rowOf.length; i++) draws[i] = rowOf[i]! * 2 + y01[i]!;
  return draws;
}

/**
 * Class counts of each vector as growPacked takes them: w0 + w1 * 2^26, from `draws.length` draws of a
 * bootstrap (`rng`, the draws of bootstrapCounts in forest-grow.ts) over original rows (`draws` of
 * bootstrapDraws, `ones` of them class 1) on `n` vectors; null when the classes are too large for the packed path.
 * `into` (n long), when given, is cleared and filled instead of a new array.
 */
export function bootstrapPackedWeights(rng: Rng, draws: Int32Array, ones: number, n: number, into?: Float64Array): Float64Array | null {
  const rows = draws.length;
  if (ones > PACKED_MAX_W1 || rows - ones > PACKED_MAX_W0) return null;
  const weights = into !== undefined && into.length === n ? into.fill(0) : new Float64Array(n);
  for (let k = 0; k < rows; k++) {
    const d = draws[rng.int(rows)]!;
    weights[d >> 1]! += 1 + (d & 1) * (SHIFT - 1); // no branch on the class: it is a coin flip per draw
  }
  return weights;
}

/** The node buffer of the last packed tree of this thread (one thread per module instance). */
let lastBuffer: TreeBuilderBuffer | undefined;

/**
 * The packed CART: weights[u] = w0 + w1 * 2^26 of vector u (class totals up to PACKED_MAX_W0 /
 * PACKED_MAX_W1), `packed` = packRows of `data`. Null, before any draw from `rng`, when a vector's
 * class-1 weight does not fit the tree's 32-bit row weights.
 */
export function growPacked(data: CartData, packed: PackedRows, weights: Float64Array, opt: CartOptions, rng: Rng): TreeArrays | null {
  const { n, nFeatures, nBins } = data;
  const entropy = opt.criterion !== 'gini';
  const purity = entropy ? negEntropyMass : giniPurityMass;
  const minLeaf = opt.minSamplesLeaf;
  const random = opt.splitter === 'random';
  const W = packed.words;
  const width = packed.width;
  const perWord = 32 / width;
  // Where feature f lives: word stream offset wordOff[f] (word * n) and shift shiftOf[f] (no division per draw).
  const wordOff = new Int32Array(nFeatures);
  const shiftOf = new Int32Array(nFeatures);
  const wordOf = new Int32Array(nFeatures);
  for (let f = 0; f < nFeatures; f++) {
    wordOf[f] = Math.floor(f / perWord);
    wordOff[f] = wordOf[f]! * n;
    shiftOf[f] = (f % perWord) * width;
  }
  const mask = (1 << width) - 1;

  // By position, word-major: word q of the row at position k is rows[q * n + k], its weight pw[k]; a
  // node owns positions [start, end). Every position read is written first, so the buffers of the
  // previous tree of the same shape are reused as they are.
  // The row weight scale 2^S: above the class-0 total, with the largest class-1 weight of one vector
  // still inside 31 bits.
  let W0 = 0;
  let W1 = 0;
  let top1 = 0;
  for (let u = 0; u < n; u++) {
    const c1 = Math.floor(weights[u]! / SHIFT);
    W1 += c1;
    W0 += weights[u]! - c1 * SHIFT;
    if (c1 > top1) top1 = c1;
  }
  let S = 1;
  while (2 ** S <= W0) S++;
  if (top1 >= 2 ** (31 - S)) return null;
  const SC = 2 ** S;
  const pos = positions(n, W, mask);
  const { rows, pw } = pos;
  let m = 0;
  let maxRow = 1;
  for (let u = 0; u < n; u++) {
    const p = weights[u]!;
    if (p === 0) continue;
    for (let q = 0; q < W; q++) {
      rows[q * n + m] = packed.bits[u * W + q]!;
    }
    const c1 = Math.floor(p / SHIFT);
    pw[m] = p - c1 * SHIFT + c1 * SC;
    if (pw[m]! > maxRow) maxRow = pw[m]!;
    m++;
  }
  // Rows per chunk of a histogram pass whose int32 sums cannot reach 2^31 (nodes of a larger total).
  const chunk = Math.max(1, Math.floor((2 ** 31 - 1) / maxRow));
  const part = new Float64Array(15);

  const features = new Int32Array(nFeatures);
  for (let f = 0; f < nFeatures; f++) features[f] = f;
  const H = mask + 1;
  const hist = new Float64Array(4 * H);
  const batch = new Int32Array(nFeatures);
  // Histogram of batch slot s at hists[s * HS ..] (at least 3 bins: the ternary passes write bins 1 and 2).
  const HS = Math.max(3, H);
  const hists = new Float64Array(nFeatures * HS);
  const h = new Float64Array(3 * H);
  // Bits that vary among a node's rows (per word): a feature whose bits do not vary is constant there.
  const vary = new Int32Array(W);

  // Room for a typical forest tree (about m / 4 nodes on the phishing data); the buffer doubles when a
  // tree needs more. The previous tree's buffer is reused (finish() copies the nodes out), so a forest
  // does not allocate and zero fresh node storage per tree.
  const buf = (lastBuffer ??= new TreeBuilderBuffer(Math.min(1 << 16, (m >> 1) + 1))).reset();
  buf.addLeaf(W0 + W1 > 0 ? W1 / (W0 + W1) : 0.5, W0 + W1);

  // Explicit stack of (node, start, end, depth, w0, w1, buffer); the row count of a node is w0 + w1.
  // A partition moves the children's rows to the other pair of position buffers: `buffer` is the pair
  // a node's rows are in (0: pos.rows at the start of the tree), `cur` the pair pos.rows is now.
  const stack: number[] = [0, 0, m, 0, W0, W1, 0];
  let cur = 0;
  const invSC = 1 / SC;
  while (stack.length > 0) {
    const at = stack.pop()!;
    const N1 = stack.pop()!;
    const N0 = stack.pop()!;
    const depth = stack.pop()!;
    const end = stack.pop()!;
    const start = stack.pop()!;
    const node = stack.pop()!;
    const Nc = N0 + N1;
    if (stopsSplitting(opt, depth, Nc, N0, N1)) continue;
    if (at !== cur) {
      swapBuffers(pos);
      cur = at;
    }
    varyingBits(pos, start, end, vary);

    let bestScore = -Infinity;
    let bestF = -1;
    let bestBin = 0;
    let bL0 = 0;
    let bL1 = 0;
    let visited = 0;
    let nonConstant = 0;
    while (nonConstant < opt.maxFeatures && visited < nFeatures) {
      // The next batch: draw features until as many varying ones as are still wanted (one at a time
      // for extra-trees, whose cut draw follows each feature's draw). Constant ones are skipped, as
      // one by one, so the generator is drawn exactly as in the general path.
      const want = random ? 1 : opt.maxFeatures - nonConstant;
      let K = 0;
      while (K < want && visited < nFeatures) {
        const j = visited + rng.int(nFeatures - visited);
        const f = features[j]!;
        features[j] = features[visited]!;
        features[visited] = f;
        visited++;
        if (((vary[wordOf[f]!]! >>> shiftOf[f]!) & mask) === 0) continue;
        batch[K++] = f;
      }
      nonConstant += K;
      // Histograms of the batch; features of at most 3 bins go up to five per pass.
      const total = N0 + N1 * SC;
      let s = 0;
      while (s < K) {
        const f = batch[s]!;
        const off = wordOff[f]!;
        const sh = shiftOf[f]!;
        const g = s + 1 < K ? batch[s + 1]! : -1;
        if (s + 4 < K && nBins[f]! <= 3 && nBins[g]! <= 3 && nBins[batch[s + 2]!]! <= 3 && nBins[batch[s + 3]!]! <= 3 && nBins[batch[s + 4]!]! <= 3) {
          const g2 = batch[s + 2]!;
          const g3 = batch[s + 3]!;
          const g4 = batch[s + 4]!;
          // Sums in int32: in one pass when the node's total is below 2^31 (all but the top levels of a
          // large tree), else in chunks of rows whose sums cannot reach 2^31, added up in doubles.
          if (total < 2 ** 31) {
            ternaryFive(pos, start, end, off, sh, wordOff[g]!, shiftOf[g]!, wordOff[g2]!, shiftOf[g2]!, wordOff[g3]!, shiftOf[g3]!, wordOff[g4]!, shiftOf[g4]!, hists, s * HS, HS);
          } else {
            for (let t = s; t < s + 5; t++) hists[t * HS + 1] = hists[t * HS + 2] = 0;
            for (let c = start; c < end; c += chunk) {
              ternaryFive(pos, c, Math.min(end, c + chunk), off, sh, wordOff[g]!, shiftOf[g]!, wordOff[g2]!, shiftOf[g2]!, wordOff[g3]!, shiftOf[g3]!, wordOff[g4]!, shiftOf[g4]!, part, 0, 3);
              for (let t = 0; t < 5; t++) {
                hists[(s + t) * HS + 1]! += part[3 * t + 1]!;
                hists[(s + t) * HS + 2]! += part[3 * t + 2]!;
              }
            }
          }
          for (let t = s; t < s + 5; t++) hists[t * HS] = total - hists[t * HS + 1]! - hists[t * HS + 2]!;
          s += 5;
        } else if (s + 3 < K && nBins[f]! <= 3 && nBins[g]! <= 3 && nBins[batch[s + 2]!]! <= 3 && nBins[batch[s + 3]!]! <= 3) {
          const g2 = batch[s + 2]!;
          const g3 = batch[s + 3]!;
          ternaryQuad(pos, start, end, off, sh, wordOff[g]!, shiftOf[g]!, wordOff[g2]!, shiftOf[g2]!, wordOff[g3]!, shiftOf[g3]!, hists, s * HS, HS);
          for (let t = s; t < s + 4; t++) hists[t * HS] = total - hists[t * HS + 1]! - hists[t * HS + 2]!;
          s += 4;
        } else if (s + 2 < K && nBins[f]! <= 3 && nBins[g]! <= 3 && nBins[batch[s + 2]!]! <= 3) {
          const g2 = batch[s + 2]!;
          ternaryThree(pos, start, end, off, sh, wordOff[g]!, shiftOf[g]!, wordOff[g2]!, shiftOf[g2]!, hists, s * HS, HS);
          for (let t = s; t < s + 3; t++) hists[t * HS] = total - hists[t * HS + 1]! - hists[t * HS + 2]!;
          s += 3;
        } else if (nBins[f]! <= 3 && g >= 0 && nBins[g]! <= 3) {
          ternaryPair(pos, start, end, off, sh, wordOff[g]!, shiftOf[g]!, hists, s * HS, HS);
          for (let t = s; t < s + 2; t++) hists[t * HS] = total - hists[t * HS + 1]! - hists[t * HS + 2]!;
          s += 2;
        } else if (nBins[f]! <= 3) {
          ternaryOne(pos, start, end, off, sh, hists, s * HS);
          hists[s * HS] = total - hists[s * HS + 1]! - hists[s * HS + 2]!;
          s++;
        } else {
          histogram(pos, start, end, off, sh, hist);
          for (let b = 0; b < H; b++) hists[s * HS + b] = hist[b]! + hist[H + b]! + hist[2 * H + b]! + hist[3 * H + b]!;
          s++;
        }
      }

      // Split candidates in draw order (ties go to the first, as one by one).
      for (let s = 0; s < K; s++) {
        const f = batch[s]!;
        const nb = nBins[f]!;
        for (let b = 0; b < nb; b++) {
          const v = hists[s * HS + b]!;
          const c1 = Math.floor(v * invSC); // exact: SC is a power of two
          const c0 = v - c1 * SC;
          h[3 * b] = c0;
          h[3 * b + 1] = c1;
          h[3 * b + 2] = c0 + c1;
        }
        let lo = 0;
        while (h[3 * lo + 2] === 0) lo++;
        let hi = nb - 1;
        while (h[3 * hi + 2] === 0) hi--;

        // Extra-trees: one uniformly drawn cut between the smallest and largest bin present.
        // The scan of cart-impurity.ts scanCuts, kept inline here: this is the forest's hot loop, and
        // the call cost 3-5% of a 100-tree fit (measured).
        const last = random ? lo + rng.int(hi - lo) : hi - 1;
        const first = random ? last : lo;
        let L0 = 0;
        let L1 = 0;
        for (let b = lo; b < first; b++) {
          L0 += h[3 * b]!;
          L1 += h[3 * b + 1]!;
        }
        for (let b = first; b <= last; b++) {
          const c = h[3 * b + 2]!;
          if (c === 0 && !random) continue;
          L0 += h[3 * b]!;
          L1 += h[3 * b + 1]!;
          const Lc = L0 + L1;
          if (Lc < minLeaf) continue;
          if (Nc - Lc < minLeaf) break;
          const score = purity(L0, L1) + purity(N0 - L0, N1 - L1);
          if (score > bestScore) {
            bestScore = score;
            bestF = f;
            bestBin = b;
            bL0 = L0;
            bL1 = L1;
          }
        }
      }
    }
    if (bestF < 0) continue;

    // Left rows (bin <= bestBin) first; the children's varying bits come out of the same pass.
    const bestOff = wordOff[bestF]!;
    const bestSh = shiftOf[bestF]!;
    const bR0 = N0 - bL0;
    const bR1 = N1 - bL1;
    const gain = impurityMass(entropy, N0, N1) - impurityMass(entropy, bL0, bL1) - impurityMass(entropy, bR0, bR1);
    const wl = bL0 + bL1;
    const wr = bR0 + bR1;
    const child = buf.split(node, bestF, bestBin, Math.max(0, gain), wl > 0 ? bL1 / wl : 0.5, wl, wr > 0 ? bR1 / wr : 0.5, wr);
    // A child that cannot split (the test at the top of the loop) stays a leaf: when both do, their
    // rows are never read again and need no partition.
    const splitL = !stopsSplitting(opt, depth + 1, wl, bL0, bL1);
    const splitR = !stopsSplitting(opt, depth + 1, wr, bR0, bR1);
    if (!splitL && !splitR) continue;
    if (splitL !== splitR) {
      // Only one child goes on: its rows are compacted to the front, the leaf's are dropped.
      const kept = start + compactSide(pos, start, end, bestOff, bestSh, bestBin, splitR);
      if (splitR) stack.push(child + 1, start, kept, depth + 1, bR0, bR1, cur);
      else stack.push(child, start, kept, depth + 1, bL0, bL1, cur);
      continue;
    }
    const l = W === 2 ? partitionTwoWords(pos, start, end, bestOff, bestSh, bestBin) : partitionWords(pos, start, end, bestOff, bestSh, bestBin);
    stack.push(child + 1, l, end, depth + 1, bR0, bR1, 1 - cur);
    stack.push(child, start, l, depth + 1, bL0, bL1, 1 - cur);
  }
  return buf.finish(data.edges, data.offsets);
}
