/**
 * Kernel functions over row-major Float64Array rows, and an LRU cache of kernel rows in Float32Array
 * (the same precision trade-off as libsvm's Qfloat cache): the SMO solver asks for whole rows K(i, .)
 * and reuses them across iterations.
 */

export type KernelName = 'linear' | 'rbf';

export interface KernelSpec {
  kernel: KernelName;
  gamma: number;
}

/** K(a, b) for rows a (in A at offset ao) and b (in B at offset bo), d features. */
export function kernelValue(spec: KernelSpec, A: Float64Array, ao: number, B: Float64Array, bo: number, d: number): number {
  if (spec.kernel === 'linear') {
    let s = 0;
    for (let j = 0; j < d; j++) s += A[ao + j]! * B[bo + j]!;
    return s;
  }
  let s = 0;
  for (let j = 0; j < d; j++) {
    const diff = A[ao + j]! - B[bo + j]!;
    s += diff * diff;
  }
  return Math.exp(-spec.gamma * s);
}

/**
 * Rows whose values are all -1, 0 or 1 (the phishing features) packed as bit masks: for each 32-column
 * word, `pos` has a bit where the value is 1 and `neg` where it is -1. Then, per word,
 *   dot(a, b)      = |Pa&Pb| + |Na&Nb| - |Pa&Nb| - |Na&Pb|
 *   ||a - b||^2    = |(Pa|Na) ^ (Pb|Nb)| + 4 |(Pa&Nb) | (Na&Pb)|
 * with |.| a popcount — a few integer operations instead of 32 multiply-adds.
 */
interface TernaryRows {
  words: number;
  pos: Int32Array;
  neg: Int32Array;
}

/** Packs the rows if every value is -1, 0 or 1; undefined otherwise. */
export function packTernary(X: Float64Array, n: number, d: number): TernaryRows | undefined {
  for (let t = 0; t < X.length; t++) {
    const v = X[t]!;
    if (v !== 0 && v !== 1 && v !== -1) return undefined;
  }
  const words = Math.ceil(d / 32);
  const pos = new Int32Array(n * words);
  const neg = new Int32Array(n * words);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = X[i * d + j]!;
      const w = i * words + (j >>> 5);
      if (v === 1) pos[w]! |= 1 << (j & 31);
      else if (v === -1) neg[w]! |= 1 << (j & 31);
    }
  }
  return { words, pos, neg };
}

/** Number of set bits of a 32-bit integer. */
export function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Least-recently-used cache of kernel rows over the n training rows. */
export class KernelRowCache {
  private readonly rows = new Map<number, Float32Array>();
  private readonly capacity: number;
  private readonly ternary: TernaryRows | undefined;
  /** exp(-gamma * k) for the integer squared distances k of ternary rows. */
  private readonly expTable: Float64Array;

  constructor(
    private readonly spec: KernelSpec,
    private readonly X: Float64Array,
    private readonly n: number,
    private readonly d: number,
    cacheMb: number,
  ) {
    this.capacity = Math.max(2, Math.floor((cacheMb * 1024 * 1024) / (4 * n)));
    this.ternary = packTernary(X, n, d);
    this.expTable = new Float64Array(4 * d + 1);
    for (let k = 0; k <= 4 * d; k++) this.expTable[k] = Math.exp(-spec.gamma * k);
  }

  /** Row i of the kernel matrix (do not keep it across calls: it may be evicted and reused). */
  row(i: number): Float32Array {
    const hit = this.rows.get(i);
    if (hit !== undefined) {
      this.rows.delete(i);
      this.rows.set(i, hit);
      return hit;
    }
    let buf: Float32Array;
    if (this.rows.size >= this.capacity) {
      const oldest = this.rows.keys().next().value as number;
      buf = this.rows.get(oldest)!;
      this.rows.delete(oldest);
    } else {
      buf = new Float32Array(this.n);
    }
    this.fill(i, buf);
    this.rows.set(i, buf);
    return buf;
  }

  /** Computes row i into buf; the hot loop of SVC training, inlined by hand per kernel. */
  private fill(i: number, buf: Float32Array): void {
    const { X, d, n } = this;
    if (this.ternary !== undefined) {
      this.fillTernary(i, buf, this.ternary);
      return;
    }
    const io = i * d;
    if (this.spec.kernel === 'linear') {
      for (let t = 0; t < n; t++) {
        const to = t * d;
        let s = 0;
        for (let j = 0; j < d; j++) s += X[io + j]! * X[to + j]!;
        buf[t] = s;
      }
      return;
    }
    const g = -this.spec.gamma;
    for (let t = 0; t < n; t++) {
      const to = t * d;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const diff = X[io + j]! - X[to + j]!;
        s += diff * diff;
      }
      buf[t] = Math.exp(g * s);
    }
  }

  private fillTernary(i: number, buf: Float32Array, tr: TernaryRows): void {
    const { words, pos, neg } = tr;
    const linear = this.spec.kernel === 'linear';
    const table = this.expTable;
    for (let t = 0; t < this.n; t++) {
      let acc = 0;
      for (let w = 0; w < words; w++) {
        const pa = pos[i * words + w]!;
        const na = neg[i * words + w]!;
        const pb = pos[t * words + w]!;
        const nb = neg[t * words + w]!;
        if (linear) acc += popcount(pa & pb) + popcount(na & nb) - popcount(pa & nb) - popcount(na & pb);
        else acc += popcount((pa | na) ^ (pb | nb)) + 4 * popcount((pa & nb) | (na & pb));
      }
      buf[t] = linear ? acc : table[acc]!;
    }
  }
}

/**
 * sum_s coef[s] K(sv_s, x_q) for each query row q (the SVC decision before the bias), with the
 * bit-mask path when support vectors and queries are all ternary.
 */
export function kernelExpansion(spec: KernelSpec, sv: Float64Array, coef: Float64Array, Q: Float64Array, nQ: number, d: number): Float64Array {
  const nSV = coef.length;
  const out = new Float64Array(nQ);
  const a = packTernary(sv, nSV, d);
  const b = a === undefined ? undefined : packTernary(Q, nQ, d);
  if (a !== undefined && b !== undefined) {
    const words = a.words;
    const table = new Float64Array(4 * d + 1);
    for (let k = 0; k <= 4 * d; k++) table[k] = Math.exp(-spec.gamma * k);
    const linear = spec.kernel === 'linear';
    for (let q = 0; q < nQ; q++) {
      let f = 0;
      for (let s = 0; s < nSV; s++) {
        let acc = 0;
        for (let w = 0; w < words; w++) {
          const pa = a.pos[s * words + w]!;
          const na = a.neg[s * words + w]!;
          const pb = b.pos[q * words + w]!;
          const nb = b.neg[q * words + w]!;
          if (linear) acc += popcount(pa & pb) + popcount(na & nb) - popcount(pa & nb) - popcount(na & pb);
          else acc += popcount((pa | na) ^ (pb | nb)) + 4 * popcount((pa & nb) | (na & pb));
        }
        f += coef[s]! * (linear ? acc : table[acc]!);
      }
      out[q] = f;
    }
    return out;
  }
  for (let q = 0; q < nQ; q++) {
    let f = 0;
    for (let s = 0; s < nSV; s++) f += coef[s]! * kernelValue(spec, sv, s * d, Q, q * d, d);
    out[q] = f;
  }
  return out;
}
