/**
 * Joint codes for the boosting histogram passes on large sets. Features are put in groups whose bins
 * multiply to at most JOINT_GROUP_CODES (phishing features have 2 or 3 values, so 6–9 features share a
 * group, 4 groups in all); each vector has one code per group, the combination of its bins there. A
 * node's pass adds each vector's (g, h) to its codes' sums (a fixed 4 or 8 per vector, packed two to a
 * 32-bit word: no branch depends on the data), and each code's sums then go to the non-default bins it
 * stands for (addMarginals). The sparse lists these passes read before have 9.3 entries per vector on
 * the scale benchmark's 400,000 rows; the sums are the same up to rounding (added in another order).
 */
import type { BoostData } from './boost-tree.js';

/**
 * Distinct vectors from which a fit runs in the large-set mode (boost-team.ts): histogram passes cut
 * into blocks that threads share (over joint codes when they pay), stable partitions. Below it (the bundled data has 5,785) the
 * builder runs as it always has, so those models are unchanged.
 */
export const LARGE_SET_VECTORS = 32_768;

/** Most codes in one group (one group's share of a joint histogram: 2 × this many doubles). */
export const JOINT_GROUP_CODES = 729;
/** Most codes in all; most groups; and most codes per vector, as a share of its mean count of non-default entries. */
const MAX_CODES = 8192;
const MAX_GROUPS = 8;
const MAX_WIDTH_SHARE = 0.75;

/** Each vector's codes (one per group) and where each code's sums go. */
export interface JointCodes {
  /** Codes per vector, 4 or 8: the groups, then the pad code (length - 1) up to the width. */
  width: number;
  /** Vector u's codes, two to a word (low half first): words[u * width / 2 .. (u + 1) * width / 2). */
  words: Uint32Array;
  /** Codes in all, the pad code included (a joint histogram holds 2 × length doubles). */
  length: number;
  /** Non-default global bins of code c: margBins[margPtr[c] .. margPtr[c + 1]) (none for all-default codes and the pad). */
  margPtr: Int32Array;
  margBins: Uint16Array;
}

/** Feature groups: by increasing count of non-default entries (ties by index), bins multiplied up to the cap. */
function featureGroups(d: BoostData): number[][] {
  const nf = d.nFeatures;
  const off = d.binOffset;
  const entries = new Float64Array(nf);
  for (let f = 0; f < nf; f++) for (let b = off[f]!; b < off[f + 1]!; b++) entries[f]! += d.binPtr[b + 1]! - d.binPtr[b]!;
  const order = Array.from({ length: nf }, (_, f) => f).sort((a, b) => entries[a]! - entries[b]! || a - b);
  const out: number[][] = [];
  let cur: number[] = [];
  let prod = 1;
  for (const f of order) {
    const bins = off[f + 1]! - off[f]!;
    if (cur.length > 0 && prod * bins > JOINT_GROUP_CODES) {
      out.push(cur);
      cur = [];
      prod = 1;
    }
    cur.push(f);
    prod *= bins;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/**
 * The joint codes of `d`'s vectors, or undefined when they would not pay: more than MAX_GROUPS groups
 * or MAX_CODES codes, or a width above MAX_WIDTH_SHARE × the vectors' mean count of non-default entries.
 */
export function jointCodes(d: BoostData): JointCodes | undefined {
  const { n, colBins, binOffset: off } = d;
  const gs = featureGroups(d);
  const G = gs.length;
  const width = G <= 4 ? 4 : 8;
  if (G > MAX_GROUPS || width > MAX_WIDTH_SHARE * (d.sparseBins.length / Math.max(1, n))) return undefined;
  const base = [0];
  for (const g of gs) base.push(base[base.length - 1]! + g.reduce((p, f) => p * (off[f + 1]! - off[f]!), 1));
  const pad = base[G]!;
  const length = pad + 1;
  if (length > MAX_CODES) return undefined;
  // Code of vector u in group i: base[i] + the sum of its local bins × stride, the group's first feature fastest.
  const code = new Int32Array(n);
  const half = width / 2;
  const words = new Uint32Array(n * half);
  for (let i = 0; i < width; i++) {
    code.fill(i < G ? base[i]! : pad);
    let stride = 1;
    for (const f of i < G ? gs[i]! : []) {
      const col = f * n;
      for (let u = 0; u < n; u++) code[u]! += colBins[col + u]! * stride;
      stride *= off[f + 1]! - off[f]!;
    }
    const shift = i % 2 === 0 ? 0 : 16;
    const w = i >> 1;
    for (let u = 0; u < n; u++) words[u * half + w]! |= code[u]! << shift;
  }
  return { width, words, length, ...marginals(gs, base, length, d) };
}

/** For every code, the global bins (other than their feature's default) of its features' local bins. */
function marginals(gs: number[][], base: number[], length: number, d: BoostData): { margPtr: Int32Array; margBins: Uint16Array } {
  const off = d.binOffset;
  const margPtr = new Int32Array(length + 1);
  const bins: number[] = [];
  for (let i = 0; i < gs.length; i++) {
    for (let c = 0; c < base[i + 1]! - base[i]!; c++) {
      let rest = c;
      for (const f of gs[i]!) {
        const nb = off[f + 1]! - off[f]!;
        const global = off[f]! + (rest % nb);
        rest = Math.floor(rest / nb);
        if (global !== d.defaultBin[f]) bins.push(global);
      }
      margPtr[base[i]! + c + 1] = bins.length;
    }
  }
  margPtr[length] = bins.length;
  return { margPtr, margBins: Uint16Array.from(bins) };
}

/**
 * Adds each row's (g, h) to the sums of its codes: rows idx[start..end), `width` codes per row (4 or
 * 8). The joint counterpart of boost-team.ts rowSums, the hot loop of a large fit; unrolled by hand.
 */
export function codeSums(words: Uint32Array, width: number, idx: Int32Array, start: number, end: number, gh: Float64Array, joint: Float64Array): void {
  if (width === 4) {
    for (let k = start; k < end; k++) {
      const u = idx[k]!;
      const gu = gh[2 * u]!;
      const hu = gh[2 * u + 1]!;
      const w0 = words[2 * u]!;
      const w1 = words[2 * u + 1]!;
      add2(joint, w0, gu, hu);
      add2(joint, w1, gu, hu);
    }
    return;
  }
  for (let k = start; k < end; k++) {
    const u = idx[k]!;
    const gu = gh[2 * u]!;
    const hu = gh[2 * u + 1]!;
    const o = 4 * u;
    const w0 = words[o]!;
    const w1 = words[o + 1]!;
    const w2 = words[o + 2]!;
    const w3 = words[o + 3]!;
    add2(joint, w0, gu, hu);
    add2(joint, w1, gu, hu);
    add2(joint, w2, gu, hu);
    add2(joint, w3, gu, hu);
  }
}

/** Adds (g, h) to the sums of the two codes packed in word w. */
function add2(joint: Float64Array, w: number, g: number, h: number): void {
  const a = (w & 0xffff) << 1;
  const b = (w >>> 16) << 1;
  joint[a]! += g;
  joint[a + 1]! += h;
  joint[b]! += g;
  joint[b + 1]! += h;
}

/**
 * hist (a node histogram, 2 per global bin) := zero, plus each code's sums of `joint` added to its
 * bins, codes in order. Default bins are left at zero for the caller to fill.
 */
export function addMarginals(margPtr: Int32Array, margBins: Uint16Array, joint: Float64Array, hist: Float64Array): void {
  hist.fill(0);
  const codes = margPtr.length - 1;
  for (let c = 0; c < codes; c++) {
    const g = joint[2 * c]!;
    const h = joint[2 * c + 1]!;
    if (g === 0 && h === 0) continue;
    for (let k = margPtr[c]!; k < margPtr[c + 1]!; k++) {
      const b = 2 * margBins[k]!;
      hist[b]! += g;
      hist[b + 1]! += h;
    }
  }
}
