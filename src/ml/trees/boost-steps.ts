/**
 * The per-vector steps of a boosting round outside the histogram passes, as kernels over a range so
 * that the histogram team (boost-team.ts) can cut them into blocks: log-loss gradients, the score
 * update after a tree, and the stable row partition of a node. Each vector (or row position) is
 * written by exactly one block, so the results do not depend on how the blocks are shared.
 */
import type { TreeArrays } from './tree.js';

/**
 * Log-loss gradient and hessian (interleaved into gh) and the in-sample flag of vectors u0 .. u1-1,
 * from their scores and (total, positive) weights. A vector with no weight gets gh = +0: the root
 * histogram sums over all vectors, and +0 leaves its sums unchanged. With `addLeaf`, each vector with
 * weight first adds the leaf value that scoreRange left in gh[2u] to its score.
 */
export function gradientRange(score: Float64Array, tot: Float64Array, pos: Float64Array, gh: Float64Array, inSample: Uint8Array, u0: number, u1: number, addLeaf = false): void {
  for (let u = u0; u < u1; u++) {
    const t = tot[u]!;
    if (t === 0) {
      inSample[u] = 0;
      gh[2 * u] = 0;
      gh[2 * u + 1] = 0;
      continue;
    }
    inSample[u] = 1;
    let F = score[u]!;
    if (addLeaf) {
      F += gh[2 * u]!;
      score[u] = F;
    }
    setGradient(gh, u, t, pos[u]!, F);
  }
}

/** Vector u's log-loss gradient and hessian at score F, with total weight t and positive weight p. */
function setGradient(gh: Float64Array, u: number, t: number, p: number, F: number): void {
  const pr = 1 / (1 + Math.exp(-F));
  gh[2 * u] = t * pr - p;
  gh[2 * u + 1] = t * pr * (1 - pr);
}

/**
 * A tree's row segments for the score update: segment s covers idx[from[s] .. to[s]); its rows add
 * val[2s] when col[s] < 0 (a leaf), else val[2s] or val[2s + 1] by their bin in column col[s] (<= or >
 * thr[s]: a split whose leaf children's rows were never separated).
 */
export interface SegmentTable {
  from: Int32Array;
  to: Int32Array;
  col: Int32Array;
  thr: Int32Array;
  val: Float64Array;
}

export function segmentTable(capacity: number, share: boolean): SegmentTable {
  const i32 = (): Int32Array => new Int32Array(share ? new SharedArrayBuffer(4 * capacity) : new ArrayBuffer(4 * capacity));
  return { from: i32(), to: i32(), col: i32(), thr: i32(), val: new Float64Array(share ? new SharedArrayBuffer(16 * capacity) : new ArrayBuffer(16 * capacity)) };
}

/**
 * Fills `t` with the segments of `tree` (node k's rows are idx[segStart[k] .. segEnd[k]), deferred:
 * the splits whose children's rows were left together); returns how many, or -1 when more than fit.
 */
export function fillSegments(t: SegmentTable, tree: TreeArrays, n: number, segStart: Int32Array, segEnd: Int32Array, deferred: readonly number[]): number {
  const { feature, thresholdBin, left, value } = tree;
  const cap = t.from.length;
  let s = 0;
  for (let k = 0; k < feature.length; k++) {
    if (feature[k]! >= 0 || segEnd[k]! <= segStart[k]!) continue;
    if (s === cap) return -1;
    t.from[s] = segStart[k]!;
    t.to[s] = segEnd[k]!;
    t.col[s] = -1;
    t.val[2 * s] = value[k]!;
    s++;
  }
  for (const k of deferred) {
    if (s === cap) return -1;
    t.from[s] = segStart[k]!;
    t.to[s] = segEnd[k]!;
    t.col[s] = feature[k]! * n;
    t.thr[s] = thresholdBin[k]!;
    t.val[2 * s] = value[left[k]!]!;
    t.val[2 * s + 1] = value[left[k]! + 1]!;
    s++;
  }
  return s;
}

/** The arrays of the gradient step, for a score update that also makes the next round's gradients. */
export interface GradArrays {
  tot: Float64Array;
  pos: Float64Array;
  gh: Float64Array;
}

/**
 * Adds each segment's values to the scores of the rows at positions p0 .. p1-1 of idx; with `leafOut`
 * (gh, whose pairs the tree no longer needs), writes each row's value to leafOut[2u] instead, for
 * gradientRange with addLeaf: the score update and the next gradients then run in vector order, over
 * memory in sequence, not in the rows' scattered node order.
 */
export function scoreRange(t: SegmentTable, count: number, idx: Int32Array, colBins: Uint8Array, score: Float64Array, p0: number, p1: number, leafOut?: Float64Array): void {
  const { from, to, col, thr, val } = t;
  for (let s = 0; s < count; s++) {
    const a = Math.max(p0, from[s]!);
    const b = Math.min(p1, to[s]!);
    if (a >= b) continue;
    const c = col[s]!;
    if (c < 0) {
      const v = val[2 * s]!;
      if (leafOut === undefined) for (let j = a; j < b; j++) score[idx[j]!]! += v;
      else for (let j = a; j < b; j++) leafOut[2 * idx[j]!] = v;
      continue;
    }
    const th = thr[s]!;
    const o = 2 * s;
    // Branch-free: (th - bin) >>> 31 is 1 exactly when bin > th (right child).
    if (leafOut === undefined) {
      for (let j = a; j < b; j++) {
        const u = idx[j]!;
        score[u]! += val[o + ((th - colBins[c + u]!) >>> 31)]!;
      }
    } else {
      for (let j = a; j < b; j++) {
        const u = idx[j]!;
        leafOut[2 * u] = val[o + ((th - colBins[c + u]!) >>> 31)]!;
      }
    }
  }
}

/**
 * Stable partition of idx[a .. e) on bin <= t in column `col`, out of place: the rows that go left are
 * written in order to scratch[a ..], the others in reverse order to scratch[.. e - 1]; returns how many
 * went left (then placeBlock moves them to their places in idx).
 */
export function partitionOut(colBins: Uint8Array, col: number, t: number, idx: Int32Array, scratch: Int32Array, a: number, e: number): number {
  let l = a;
  let r = e;
  // Branch-free (a split's sides are as good as random to the branch predictor): u is written at both
  // ends of the free slots scratch[l .. r), and only its side's end moves.
  for (let k = a; k < e; k++) {
    const u = idx[k]!;
    const left = ((t - colBins[col + u]!) >>> 31) ^ 1;
    scratch[l] = u;
    scratch[r - 1] = u;
    l += left;
    r -= left ^ 1;
  }
  return l - a;
}

/**
 * After partitionOut of scratch[a .. e) with `left` rows going left: writes them in order to idx at
 * `toLeft` and the others, back in their order, at `toRight`.
 */
export function placeBlock(scratch: Int32Array, idx: Int32Array, a: number, e: number, left: number, toLeft: number, toRight: number): void {
  idx.set(scratch.subarray(a, a + left), toLeft);
  let j = toRight;
  for (let k = e - 1; k >= a + left; k--) idx[j++] = scratch[k]!;
}
