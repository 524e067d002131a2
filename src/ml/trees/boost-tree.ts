/**
 * One gradient-boosting tree on binned rows (second-order, XGBoost-style gain with L2 on leaf
 * weights), grown best-first: the open leaf with the largest gain is split next, up to maxLeafNodes
 * leaves and maxDepth. Histograms hold (gradient, hessian) per global bin of every feature; only the
 * smaller child of a split is scanned, the larger one is the parent's histogram minus it.
 *
 * Histogram passes skip each feature's most frequent bin (74% of the phishing cells): rows list only
 * their other bins (`sparseBins`), and the skipped bin is filled in as node total minus the rest.
 * Rows are partitioned on the column-major byte bins (one feature's column is a few KB, cache-resident),
 * and a `BoostWorkspace` keeps the histograms and row segments from one round to the next. On large
 * sets without a leaf limit the row work runs level by level (growByLevels), with the same result; on
 * large sets the passes sum joint codes of feature groups instead of the sparse lists, where those
 * codes pay (boost-joint.ts), and the root is a row pass too.
 */
import type { JointCodes } from './boost-joint.js';
import type { HistTeam } from './boost-team.js';
import { rootBins, rowSums, STEP_BLOCK } from './boost-team.js';
import { partitionOut, placeBlock } from './boost-steps.js';
import type { TreeArrays } from './tree.js';
import { partitionByBin, TreeBuilderBuffer } from './tree.js';

/** Binned training vectors in the layout this builder scans. */
export interface BoostData {
  n: number;
  nFeatures: number;
  /** Column-major local bin of each vector: colBins[f * n + u]. */
  colBins: Uint8Array;
  /** First global bin of each feature; binOffset[nFeatures] = total bins. */
  binOffset: Int32Array;
  /** Global index of each feature's most frequent bin. */
  defaultBin: Int32Array;
  /** CSR list per vector of its non-default global bins: sparseBins[sparsePtr[u] .. sparsePtr[u + 1]). */
  sparsePtr: Int32Array;
  sparseBins: Uint16Array;
  /** The same entries by bin: binRows[binPtr[b] .. binPtr[b + 1]) are the vectors in bin b, ascending. */
  binPtr: Int32Array;
  binRows: Int32Array;
  /** The non-default bins by decreasing list length (ties by bin), for buildRootHist's grouping. */
  binOrder: Int32Array;
  edges: Float64Array;
  offsets: Int32Array;
  /** Large sets: the vectors' joint codes (boost-joint.ts) for the team's row passes, when they pay. */
  joint?: JointCodes | undefined;
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
  /** Its children once its rows are partitioned (the level-by-level growth only). */
  kids: [OpenLeaf, OpenLeaf] | undefined;
}

/**
 * Buffers reused by every tree of one fit: histogram pool and the row segment of each node. After
 * `buildBoostTree`, the rows of node k are idx[segStart[k] .. segEnd[k]), except below the `deferred`
 * splits: their two leaf children were never split further, so their rows were left unpartitioned
 * (empty child segments) and the split node's segment holds the rows of both.
 */
export class BoostWorkspace {
  segStart = new Int32Array(128);
  segEnd = new Int32Array(128);
  /** Split nodes whose (leaf) children's rows were not separated, in split order. */
  readonly deferred: number[] = [];
  /** Node storage of the tree being built (emptied at the start of each tree). */
  readonly nodes = new TreeBuilderBuffer(64);
  /** Two leaf values, for the caller's branch-free routing below deferred splits. */
  readonly pair = new Float64Array(2);
  private readonly free: Float64Array[] = [];

  /**
   * With `team` (large sets): histogram passes and large partitions are shared among its threads,
   * and partitions are stable (`scratch`: one slot per vector, used at the positions of idx), so node
   * row lists stay ascending and the passes read the vectors' entries in memory order.
   */
  constructor(private readonly histLength: number, readonly team?: HistTeam, private readonly scratch?: Int32Array) {}

  /** Moves the rows of idx[start..end) with bin <= t in column `col` first; returns where the others start. */
  partition(colBins: Uint8Array, col: number, t: number, idx: Int32Array, start: number, end: number): number {
    const scratch = this.scratch;
    if (scratch === undefined) return partitionByBin(colBins, col, t, idx, start, end);
    if (this.team !== undefined && end - start >= 2 * STEP_BLOCK) return this.team.partitionMany([{ col, thr: t, start, end }])[0]!;
    const mid = start + partitionOut(colBins, col, t, idx, scratch, start, end);
    placeBlock(scratch, idx, start, end, mid - start, start, mid);
    return mid;
  }

  /** A histogram buffer (contents undefined). */
  takeHist(): Float64Array {
    return this.free.pop() ?? new Float64Array(this.histLength);
  }

  /** Returns a histogram buffer to the pool. */
  giveHist(h: Float64Array): void {
    this.free.push(h);
  }

  /** Records node k's row segment, growing the arrays as needed. */
  setSeg(k: number, a: number, b: number): void {
    if (k >= this.segStart.length) {
      const s2 = new Int32Array(this.segStart.length * 2);
      s2.set(this.segStart);
      this.segStart = s2;
      const e2 = new Int32Array(this.segEnd.length * 2);
      e2.set(this.segEnd);
      this.segEnd = e2;
    }
    this.segStart[k] = a;
    this.segEnd[k] = b;
  }
}

/**
 * Builds the histogram of (g, h) over the rows idx[start..end), whose sums are G and H; gh holds the
 * pair of each vector interleaved (gh[2u] = g, gh[2u + 1] = h). With a team (large sets), by the
 * team's rules (boost-team.ts HistTeam.segment: blocks, joint codes).
 */
function buildHist(d: BoostData, idx: Int32Array, start: number, end: number, gh: Float64Array, G: number, H: number, hist: Float64Array, team: HistTeam | undefined): void {
  if (team !== undefined) team.segment(start, end, hist);
  else {
    hist.fill(0);
    rowSums(d.sparsePtr, d.sparseBins, idx, start, end, gh, hist);
  }
  fillDefaultBins(d, G, H, hist);
}

/**
 * The root histogram, bin by bin over the by-bin lists (boost-team.ts rootBins): vectors outside the
 * sample add gh = +0, which leaves every sum bit for bit unchanged (a sum started at +0 is never -0).
 */
function buildRootHist(d: BoostData, gh: Float64Array, G: number, H: number, hist: Float64Array, team: HistTeam | undefined, m: number): void {
  hist.fill(0);
  if (team !== undefined) team.root(hist, m);
  else rootBins(d.binPtr, d.binRows, d.binOrder, gh, hist, 0, d.binOrder.length);
  fillDefaultBins(d, G, H, hist);
}

/** Sets each feature's default bin to the node totals minus the feature's other bins. */
function fillDefaultBins(d: BoostData, G: number, H: number, hist: Float64Array): void {
  const nf = d.nFeatures;
  const off = d.binOffset;
  for (let f = 0; f < nf; f++) {
    let gs = G;
    let hs = H;
    const db = d.defaultBin[f]!;
    const hi = off[f + 1]!;
    for (let b = off[f]!; b < hi; b++) {
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

function openLeaf(node: number, start: number, end: number, depth: number, G: number, H: number, hist: Float64Array): OpenLeaf {
  return { node, start, end, depth, G, H, hist, gain: 0, feature: -1, bin: 0, GL: 0, HL: 0, kids: undefined };
}

/**
 * Grows one tree on the vectors idx[0..m) with gradient/hessian pairs gh (interleaved per vector) and
 * returns it; leaf values are -G / (H + l2) * learningRate. Node row segments are left in `ws`.
 * Contract: idx[0..m) is ascending and gh is +0 for every vector not in it.
 */
export function buildBoostTree(d: BoostData, idx: Int32Array, m: number, gh: Float64Array, opt: BoostTreeOptions, ws: BoostWorkspace): TreeArrays {
  const lr = opt.learningRate;
  const lambda = opt.l2;
  const buf = ws.nodes;
  buf.size = 0;
  ws.deferred.length = 0;

  // Without joint codes, the helpers sum the root's bins while this thread sums the totals.
  ws.team?.postRoot();
  let G = 0;
  let H = 0;
  for (let k = 0; k < m; k++) {
    const u = idx[k]!;
    G += gh[2 * u]!;
    H += gh[2 * u + 1]!;
  }
  const rootHist = ws.takeHist();
  buildRootHist(d, gh, G, H, rootHist, ws.team, m);
  const root = openLeaf(buf.addLeaf((-G / (H + lambda)) * lr, H), 0, m, 0, G, H, rootHist);
  ws.setSeg(root.node, 0, m);
  if (opt.maxDepth > 0) findSplit(d, root, opt);
  if (root.gain <= 0) ws.giveHist(rootHist);
  const open: OpenLeaf[] = root.gain > 0 ? [root] : [];
  if (ws.team !== undefined && opt.maxLeafNodes === Infinity) {
    growByLevels(d, opt, ws, ws.team, root);
    replaySplits(open, opt, ws);
    return buf.finish(d.edges, d.offsets);
  }
  let leaves = 1;
  while (open.length > 0 && leaves < opt.maxLeafNodes) {
    const leaf = popBest(open);
    const l = splitNode(leaf, opt, ws);
    leaves++;
    const depth = leaf.depth + 1;
    if (depth >= opt.maxDepth || leaves >= opt.maxLeafNodes) {
      // Final children: their rows are not separated; the caller routes the node's segment by bin.
      ws.setSeg(l, 0, 0);
      ws.setSeg(l + 1, 0, 0);
      ws.deferred.push(leaf.node);
      ws.giveHist(leaf.hist);
      continue;
    }
    const i = ws.partition(d.colBins, leaf.feature * d.n, leaf.bin, idx, leaf.start, leaf.end);
    ws.setSeg(l, leaf.start, i);
    ws.setSeg(l + 1, i, leaf.end);
    const left = openLeaf(l, leaf.start, i, depth, leaf.GL, leaf.HL, leaf.hist);
    const right = openLeaf(l + 1, i, leaf.end, depth, leaf.G - leaf.GL, leaf.H - leaf.HL, leaf.hist);
    // Scan the smaller child; the larger one's histogram is parent minus smaller, in place.
    const small = i - leaf.start <= leaf.end - i ? left : right;
    const sh = ws.takeHist();
    small.hist = sh;
    buildHist(d, idx, small.start, small.end, gh, small.G, small.H, sh, ws.team);
    subtractInto(leaf.hist, sh);
    considerChild(d, left, opt, open, ws);
    considerChild(d, right, opt, open, ws);
  }
  for (const o of open) ws.giveHist(o.hist);
  return buf.finish(d.edges, d.offsets);
}

/** Finds a child's best split and queues it, or returns its histogram to the pool. */
function considerChild(d: BoostData, c: OpenLeaf, opt: BoostTreeOptions, open: OpenLeaf[], ws: BoostWorkspace): void {
  if (c.end - c.start < 2) {
    ws.giveHist(c.hist);
    return;
  }
  findSplit(d, c, opt);
  if (c.gain > 0) open.push(c);
  else ws.giveHist(c.hist);
}

/** Takes the open leaf with the largest gain (the first of equals) out of `open`. */
function popBest(open: OpenLeaf[]): OpenLeaf {
  let bi = 0;
  for (let i = 1; i < open.length; i++) if (open[i]!.gain > open[bi]!.gain) bi = i;
  const leaf = open[bi]!;
  open[bi] = open[open.length - 1]!;
  open.pop();
  return leaf;
}

/** Splits the leaf's node in the tree being built; returns its left child's node (the right one is next). */
function splitNode(leaf: OpenLeaf, opt: BoostTreeOptions, ws: BoostWorkspace): number {
  const { GL, HL } = leaf;
  const lambda = opt.l2;
  const GR = leaf.G - GL;
  const HR = leaf.H - HL;
  const lr = opt.learningRate;
  return ws.nodes.split(leaf.node, leaf.feature, leaf.bin, leaf.gain, (-GL / (HL + lambda)) * lr, HL, (-GR / (HR + lambda)) * lr, HR);
}

/** ph -= sh, entry by entry (the larger child's histogram from its parent's and the smaller child's). */
function subtractInto(ph: Float64Array, sh: Float64Array): void {
  for (let b = 0; b < ph.length; b++) ph[b]! -= sh[b]!;
}

/**
 * Large sets without a leaf limit: every open leaf is split in the end, whatever the order, so the row
 * work runs level by level, one partition pass and one histogram pass for all of a level's nodes,
 * shared by the team (fewer, larger passes; small nodes are no longer the lead's alone). Each node's
 * sums are cut into the blocks of its own pass, so every histogram, gain and split is the one the
 * best-first loop makes. Leaves `kids` on each split leaf for replaySplits; a leaf whose children are
 * at maxDepth keeps none.
 */
function growByLevels(d: BoostData, opt: BoostTreeOptions, ws: BoostWorkspace, team: HistTeam, root: OpenLeaf): void {
  let level = root.gain > 0 ? [root] : [];
  for (let depth = 1; level.length > 0 && depth < opt.maxDepth; depth++) {
    const mids = team.partitionMany(level.map((p) => ({ col: p.feature * d.n, thr: p.bin, start: p.start, end: p.end })));
    const small: OpenLeaf[] = [];
    for (let i = 0; i < level.length; i++) {
      const p = level[i]!;
      const mid = mids[i]!;
      const left = openLeaf(-1, p.start, mid, depth, p.GL, p.HL, p.hist);
      const right = openLeaf(-1, mid, p.end, depth, p.G - p.GL, p.H - p.HL, p.hist);
      p.kids = [left, right];
      const sm = mid - p.start <= p.end - mid ? left : right;
      sm.hist = ws.takeHist();
      small.push(sm);
    }
    team.rowsMany(small);
    const next: OpenLeaf[] = [];
    for (let i = 0; i < level.length; i++) {
      const sm = small[i]!;
      fillDefaultBins(d, sm.G, sm.H, sm.hist);
      subtractInto(level[i]!.hist, sm.hist);
      for (const c of level[i]!.kids!) considerChild(d, c, opt, next, ws);
    }
    level = next;
  }
  // Their children are at maxDepth: leaves whose rows stay together.
  for (const p of level) ws.giveHist(p.hist);
}

/**
 * Numbers the nodes that growByLevels split in the best-first order (the loop of buildBoostTree),
 * starting from `open` (the root, if it splits), and records their row segments.
 */
function replaySplits(open: OpenLeaf[], opt: BoostTreeOptions, ws: BoostWorkspace): void {
  while (open.length > 0) {
    const leaf = popBest(open);
    const l = splitNode(leaf, opt, ws);
    const kids = leaf.kids;
    if (kids === undefined) {
      ws.setSeg(l, 0, 0);
      ws.setSeg(l + 1, 0, 0);
      ws.deferred.push(leaf.node);
      continue;
    }
    kids[0].node = l;
    kids[1].node = l + 1;
    for (const c of kids) {
      ws.setSeg(c.node, c.start, c.end);
      if (c.gain > 0) open.push(c);
    }
  }
}
