/**
 * One gradient-boosting tree on binned rows (second-order, XGBoost-style gain with L2 on leaf
 * weights), grown best-first: the open leaf with the largest gain is split next, up to maxLeafNodes
 * leaves and maxDepth. Histograms hold (gradient, hessian) per global bin of every feature; only the
 * smaller child of a split is scanned, the larger one is the parent's histogram minus it.
 *
 * Histogram passes skip each feature's most frequent bin (74% of the phishing cells): rows list only
 * their other bins (`sparseBins`), and the skipped bin is filled in as node total minus the rest.
 */
import type { TreeArrays } from './tree.js';
import { TreeBuilderBuffer } from './tree.js';

/** Binned training vectors in the layout this builder scans. */
export interface BoostData {
  n: number;
  nFeatures: number;
  /** Row-major global bin of each vector and feature: binOffset[f] + bin. */
  rowBins: Uint16Array;
  /** First global bin of each feature; binOffset[nFeatures] = total bins. */
  binOffset: Int32Array;
  /** Global index of each feature's most frequent bin. */
  defaultBin: Int32Array;
  /** CSR list per vector of its non-default global bins: sparseBins[sparsePtr[u] .. sparsePtr[u + 1]). */
  sparsePtr: Int32Array;
  sparseBins: Uint16Array;
  edges: Float64Array;
  offsets: Int32Array;
}

export interface BoostTreeOptions {
  learningRate: number;
  /** Infinity for unlimited. */
  maxDepth: number;
  /** Infinity for unlimited. */
  maxLeafNodes: number;
  minChildWeight: number;
  l2: number;
}

interface OpenLeaf {
  node: number;
  start: number;
  end: number;
  depth: number;
  G: number;
  H: number;
  hist: Float64Array;
  gain: number;
  feature: number;
  bin: number;
  GL: number;
  HL: number;
}

/** Builds the histogram of (g, h) over the rows idx[start..end), whose sums are G and H. */
function buildHist(d: BoostData, idx: Int32Array, start: number, end: number, g: Float64Array, h: Float64Array, G: number, H: number, hist: Float64Array): void {
  hist.fill(0);
  const ptr = d.sparsePtr;
  const sb = d.sparseBins;
  // Hot loop, inlined by hand: only the non-default bins of each row, stored contiguously.
  for (let k = start; k < end; k++) {
    const u = idx[k]!;
    const gu = g[u]!;
    const hu = h[u]!;
    const e = ptr[u + 1]!;
    for (let j = ptr[u]!; j < e; j++) {
      const b = 2 * sb[j]!;
      hist[b]! += gu;
      hist[b + 1]! += hu;
    }
  }
  for (let f = 0; f < d.nFeatures; f++) {
    let gs = G;
    let hs = H;
    const db = d.defaultBin[f]!;
    for (let b = d.binOffset[f]!; b < d.binOffset[f + 1]!; b++) {
      if (b === db) continue;
      gs -= hist[2 * b]!;
      hs -= hist[2 * b + 1]!;
    }
    hist[2 * db] = gs;
    // Rounding can leave a tiny negative hessian where the bin is empty.
    hist[2 * db + 1] = hs > 0 ? hs : 0;
  }
}

/** Fills leaf.gain / feature / bin with the best split of the leaf (gain 0 when none). */
function findSplit(d: BoostData, leaf: OpenLeaf, opt: BoostTreeOptions): void {
  const { G, H, hist } = leaf;
  const lambda = opt.l2;
  const mcw = opt.minChildWeight;
  const parent = (G * G) / (H + lambda);
  let best = 0;
  leaf.feature = -1;
  for (let f = 0; f < d.nFeatures; f++) {
    const lo = d.binOffset[f]!;
    const hi = d.binOffset[f + 1]!;
    let GL = 0;
    let HL = 0;
    for (let b = lo; b < hi - 1; b++) {
      GL += hist[2 * b]!;
      HL += hist[2 * b + 1]!;
      if (HL < mcw) continue;
      const HR = H - HL;
      if (HR < mcw) break;
      const GR = G - GL;
      const gain = (GL * GL) / (HL + lambda) + (GR * GR) / (HR + lambda) - parent;
      if (gain > best) {
        best = gain;
        leaf.feature = f;
        leaf.bin = b - lo;
        leaf.GL = GL;
        leaf.HL = HL;
      }
    }
  }
  leaf.gain = best > 1e-12 ? best : 0;
}

/**
 * Grows one tree on the vectors idx[0..m) with gradients g and hessians h (per vector) and returns
 * it; leaf values are -G / (H + l2) * learningRate.
 */
export function buildBoostTree(
  d: BoostData, idx: Int32Array, m: number, g: Float64Array, h: Float64Array, opt: BoostTreeOptions,
): { tree: TreeArrays; segStart: Int32Array; segEnd: Int32Array } {
  // Rows of node k are idx[segStart[k] .. segEnd[k]) once the tree is built (leaves included).
  let segStart = new Int32Array(128);
  let segEnd = new Int32Array(128);
  const setSeg = (k: number, a: number, b: number): void => {
    if (k >= segStart.length) {
      const s2 = new Int32Array(segStart.length * 2);
      s2.set(segStart);
      segStart = s2;
      const e2 = new Int32Array(segEnd.length * 2);
      e2.set(segEnd);
      segEnd = e2;
    }
    segStart[k] = a;
    segEnd[k] = b;
  };
  const totalBins = d.binOffset[d.nFeatures]!;
  const free: Float64Array[] = [];
  const takeHist = (): Float64Array => free.pop() ?? new Float64Array(2 * totalBins);
  const lr = opt.learningRate;
  const lambda = opt.l2;
  const buf = new TreeBuilderBuffer(64);

  let G = 0;
  let H = 0;
  for (let k = 0; k < m; k++) {
    G += g[idx[k]!]!;
    H += h[idx[k]!]!;
  }
  const rootHist = takeHist();
  buildHist(d, idx, 0, m, g, h, G, H, rootHist);
  const root: OpenLeaf = { node: buf.addLeaf((-G / (H + lambda)) * lr, H), start: 0, end: m, depth: 0, G, H, hist: rootHist, gain: 0, feature: -1, bin: 0, GL: 0, HL: 0 };
  setSeg(root.node, 0, m);
  const open: OpenLeaf[] = [];
  if (opt.maxDepth > 0) {
    findSplit(d, root, opt);
    if (root.gain > 0) open.push(root);
  }
  let leaves = 1;
  while (open.length > 0 && leaves < opt.maxLeafNodes) {
    let bi = 0;
    for (let i = 1; i < open.length; i++) if (open[i]!.gain > open[bi]!.gain) bi = i;
    const leaf = open[bi]!;
    open[bi] = open[open.length - 1]!;
    open.pop();

    const f = leaf.feature;
    const t = leaf.bin + d.binOffset[f]!;
    const nf = d.nFeatures;
    const rb = d.rowBins;
    let i = leaf.start;
    let j = leaf.end - 1;
    while (i <= j) {
      const u = idx[i]!;
      if (rb[u * nf + f]! <= t) i++;
      else {
        idx[i] = idx[j]!;
        idx[j] = u;
        j--;
      }
    }
    const GL = leaf.GL;
    const HL = leaf.HL;
    const GR = leaf.G - GL;
    const HR = leaf.H - HL;
    const l = buf.split(leaf.node, f, leaf.bin, leaf.gain, (-GL / (HL + lambda)) * lr, HL, (-GR / (HR + lambda)) * lr, HR);
    leaves++;
    setSeg(l, leaf.start, i);
    setSeg(l + 1, i, leaf.end);
    const depth = leaf.depth + 1;
    const left: OpenLeaf = { node: l, start: leaf.start, end: i, depth, G: GL, H: HL, hist: leaf.hist, gain: 0, feature: -1, bin: 0, GL: 0, HL: 0 };
    const right: OpenLeaf = { node: l + 1, start: i, end: leaf.end, depth, G: GR, H: HR, hist: leaf.hist, gain: 0, feature: -1, bin: 0, GL: 0, HL: 0 };
    if (depth >= opt.maxDepth || leaves >= opt.maxLeafNodes) {
      free.push(leaf.hist);
      continue;
    }
    // Scan the smaller child; the larger one's histogram is parent minus smaller, in place.
    const small = i - leaf.start <= leaf.end - i ? left : right;
    const large = small === left ? right : left;
    small.hist = takeHist();
    buildHist(d, idx, small.start, small.end, g, h, small.G, small.H, small.hist);
    const ph = leaf.hist;
    const sh = small.hist;
    for (let b = 0; b < ph.length; b++) ph[b]! -= sh[b]!;
    large.hist = ph;
    for (const c of [left, right]) {
      if (c.end - c.start < 2) {
        free.push(c.hist);
        continue;
      }
      findSplit(d, c, opt);
      if (c.gain > 0) open.push(c);
      else free.push(c.hist);
    }
  }
  return { tree: buf.finish(d.edges, d.offsets), segStart, segEnd };
}
