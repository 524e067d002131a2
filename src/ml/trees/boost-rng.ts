/**
 * The stream of core/rng.ts's Rng (xoshiro128** seeded through splitmix32), bit for bit, with its
 * state in an Int32Array: Rng keeps unsigned 32-bit values in object fields, which V8 boxes as heap
 * numbers, so each draw allocates. Boosting draws thousands of row indices per round, where that
 * shows; the test checks both generators agree.
 */

/** Seeded generator equal to `new Rng(seed)` for `int` and `shuffle`. */
export class FastRng {
  private readonly s = new Int32Array(4);

  constructor(seed = 0) {
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = z ^ (z >>> 16);
    }
  }

  /** Uniform integer in [0, n), as Rng.int. */
  int(n: number): number {
    const s = this.s;
    const a = s[0]!;
    const b = s[1]!;
    const r = Math.imul(b, 5);
    const result = Math.imul((r << 7) | (r >>> 25), 9) >>> 0;
    const c = s[2]! ^ a;
    const d = s[3]! ^ b;
    s[1] = b ^ c;
    s[0] = a ^ d;
    s[2] = c ^ (b << 9);
    s[3] = (d << 11) | (d >>> 21);
    return Math.floor((result / 4294967296) * n);
  }

  /** Fisher–Yates shuffle in place, as Rng.shuffle. */
  shuffle(a: Int32Array): Int32Array {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
    return a;
  }
}
