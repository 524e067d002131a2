/**
 * The generator of core/rng.ts (xoshiro128** seeded through splitmix32) with its state kept as signed
 * 32-bit integers: the same numbers, but V8 keeps the fields as small integers instead of boxing the
 * unsigned values above 2^31, which makes a draw several times cheaper. The forest's tree builders
 * draw from it tens of thousands of times per tree; `new CartRng(seed)` yields exactly the stream of
 * `new Rng(seed)` (cart-rng.test.ts holds it to that).
 */

/** What the tree builders draw: a uniform integer in [0, n). */
export interface IntSource {
  int(n: number): number;
}

export class CartRng implements IntSource {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed = 0) {
    let s = seed >>> 0;
    const split = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) | 0;
    };
    this.a = split();
    this.b = split();
    this.c = split();
    this.d = split();
  }

  /** Next 32-bit unsigned integer (as Rng.nextU32). */
  nextU32(): number {
    const x = Math.imul(this.b, 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = (this.d << 11) | (this.d >>> 21);
    return result;
  }

  /** Uniform integer in [0, n) (as Rng.int). */
  int(n: number): number {
    return Math.floor((this.nextU32() / 4294967296) * n);
  }
}
