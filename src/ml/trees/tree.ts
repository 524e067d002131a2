/**
 * One fitted tree as typed arrays, nodes in creation order with the two children of a node stored next
 * to each other (right = left + 1), so a traversal step is one compare and one add.
 *   feature[k] = -1 marks a leaf; otherwise go left when bin(x[feature]) <= thresholdBin[k], i.e. when
 *   x[feature] <= threshold[k].
 *   value[k]   = the leaf's output (a probability, a log-odds step, a vote); for inner nodes the
 *                cover-weighted mean of its children, which makes path contributions telescope.
 *   cover[k]   = training weight that reached the node; gain[k] = weighted impurity decrease / loss gain.
 */

export interface TreeArrays {
  feature: Int32Array;
  thresholdBin: Uint8Array;
  threshold: Float64Array;
  left: Int32Array;
  value: Float64Array;
  cover: Float64Array;
  gain: Float64Array;
}

/** Growable node storage used while a tree is built. */
export class TreeBuilderBuffer {
  size = 0;
  feature: Int32Array;
  thresholdBin: Uint8Array;
  left: Int32Array;
  value: Float64Array;
  cover: Float64Array;
  gain: Float64Array;

  constructor(capacity = 256) {
    this.feature = new Int32Array(capacity);
    this.thresholdBin = new Uint8Array(capacity);
    this.left = new Int32Array(capacity);
    this.value = new Float64Array(capacity);
    this.cover = new Float64Array(capacity);
    this.gain = new Float64Array(capacity);
  }

  /** Empties the buffer for the next tree, keeping its capacity (every field of a node is written when it is added). */
  reset(): this {
    this.size = 0;
    return this;
  }

  /** Appends a leaf and returns its index. */
  addLeaf(value: number, cover: number): number {
    if (this.size === this.feature.length) this.grow();
    const k = this.size++;
    this.feature[k] = -1;
    this.thresholdBin[k] = 0;
    this.left[k] = -1;
    this.value[k] = value;
    this.cover[k] = cover;
    this.gain[k] = 0;
    return k;
  }

  /** Turns leaf k into a split whose children are the next two nodes (appended as leaves). */
  split(k: number, feature: number, bin: number, gain: number, leftValue: number, leftCover: number, rightValue: number, rightCover: number): number {
    const l = this.addLeaf(leftValue, leftCover);
    this.addLeaf(rightValue, rightCover);
    this.feature[k] = feature;
    this.thresholdBin[k] = bin;
    this.left[k] = l;
    this.gain[k] = gain;
    return l;
  }

  private grow(): void {
    const cap = this.feature.length * 2;
    const g = <T extends Int32Array | Uint8Array | Float64Array>(a: T, C: new (n: number) => T): T => {
      const b = new C(cap);
      b.set(a);
      return b;
    };
    this.feature = g(this.feature, Int32Array);
    this.thresholdBin = g(this.thresholdBin, Uint8Array);
    this.left = g(this.left, Int32Array);
    this.value = g(this.value, Float64Array);
    this.cover = g(this.cover, Float64Array);
    this.gain = g(this.gain, Float64Array);
  }

  /**
   * Final arrays: raw thresholds from the bin edges, inner values as cover-weighted means of children
   * (children always have larger indices, so one backward pass suffices).
   */
  finish(edges: Float64Array, offsets: Int32Array): TreeArrays {
    const n = this.size;
    const feature = this.feature.slice(0, n);
    const thresholdBin = this.thresholdBin.slice(0, n);
    const left = this.left.slice(0, n);
    const value = this.value.slice(0, n);
    const cover = this.cover.slice(0, n);
    const gain = this.gain.slice(0, n);
    const threshold = new Float64Array(n);
    for (let k = 0; k < n; k++) if (feature[k]! >= 0) threshold[k] = edges[offsets[feature[k]!]! + thresholdBin[k]!]!;
    const tree = { feature, thresholdBin, threshold, left, value, cover, gain };
    recomputeInnerValues(tree);
    return tree;
  }
}

/** Sets every inner node's value to the cover-weighted mean of its children (after leaf values changed). */
export function recomputeInnerValues(t: TreeArrays): void {
  const { feature, left, value, cover } = t;
  for (let k = feature.length - 1; k >= 0; k--) {
    if (feature[k]! < 0) continue;
    const l = left[k]!;
    const cl = cover[l]!;
    const cr = cover[l + 1]!;
    value[k] = cl + cr > 0 ? (cl * value[l]! + cr * value[l + 1]!) / (cl + cr) : (value[l]! + value[l + 1]!) / 2;
  }
}

/** Leaf reached by distinct vector u of column-major bins (colBins[f * n + u]). */
export function leafOfBinned(t: TreeArrays, colBins: Uint8Array, n: number, u: number): number {
  let k = 0;
  let f = t.feature[0]!;
  while (f >= 0) {
    k = t.left[k]! + (colBins[f * n + u]! > t.thresholdBin[k]! ? 1 : 0);
    f = t.feature[k]!;
  }
  return k;
}

/** Moves the rows of idx[start..end) whose bin of column `col` is <= t in front; returns the split point
 * (unstable, in place; shared by the CART and boosting builders). */
export function partitionByBin(colBins: Uint8Array, col: number, t: number, idx: Int32Array, start: number, end: number): number {
  let i = start;
  let j = end - 1;
  // Branch-free (a split's sides are as good as random to the branch predictor), the same swaps as
  // "row i goes left: i++; else swap rows i and j, j--": with r = 1 for right, both slots are written
  // with a select by mask (unchanged when r = 0).
  while (i <= j) {
    const u = idx[i]!;
    const v = idx[j]!;
    const r = (t - colBins[col + u]!) >>> 31;
    const swap = (u ^ v) & -r;
    idx[i] = u ^ swap;
    idx[j] = v ^ swap;
    i += r ^ 1;
    j -= r;
  }
  return i;
}
