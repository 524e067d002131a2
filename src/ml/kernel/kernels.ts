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

/** Least-recently-used cache of kernel rows over the n training rows. */
export class KernelRowCache {
  private readonly rows = new Map<number, Float32Array>();
  private readonly capacity: number;

  constructor(
    private readonly spec: KernelSpec,
    private readonly X: Float64Array,
    private readonly n: number,
    private readonly d: number,
    cacheMb: number,
  ) {
    this.capacity = Math.max(2, Math.floor((cacheMb * 1024 * 1024) / (4 * n)));
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
    const { X, d } = this;
    const io = i * d;
    for (let t = 0; t < this.n; t++) buf[t] = kernelValue(this.spec, X, io, X, t * d, d);
    this.rows.set(i, buf);
    return buf;
  }
}
