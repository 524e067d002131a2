/**
 * scikit-learn's `train_test_split(n, test_size, random_state=seed)` reproduced index for index, so our
 * models can be compared with the original project on exactly its split: NumPy's legacy
 * `RandomState(seed)` (MT19937 seeded with init_genrand) draws `permutation(n)` by a Fisher-Yates
 * shuffle whose bounded integers come from masked rejection sampling; the first ceil(testSize * n)
 * entries are the test rows and the rest the training rows, both in permutation order (not sorted).
 *
 * @example
 *   const { train, test } = sklearnTrainTestSplit(11055, 0.2, 42); // the original's split
 */
import { NsError } from '../../core/errors.js';

/** NumPy's MT19937 (legacy seeding), enough of it for bounded integers. */
class Mt19937 {
  private readonly mt = new Uint32Array(624);
  private pos = 624;

  constructor(seed: number) {
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const p = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = (Math.imul(1812433253, p) + i) >>> 0;
    }
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < 624; i++) {
      const y = (mt[i]! & 0x80000000) | (mt[(i + 1) % 624]! & 0x7fffffff);
      mt[i] = mt[(i + 397) % 624]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.pos = 0;
  }

  nextU32(): number {
    if (this.pos >= 624) this.twist();
    let y = this.mt[this.pos++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** Uniform integer in [0, max] by masked rejection (NumPy's random_interval, max < 2^32). */
  interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let v: number;
    do v = (this.nextU32() & mask) >>> 0;
    while (v > max);
    return v;
  }
}

/** `np.random.RandomState(seed).permutation(n)`. */
export function numpyPermutation(n: number, seed: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  const mt = new Mt19937(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = mt.interval(i);
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}

/** `train_test_split(range(n), test_size=testSize, random_state=seed)` (unstratified, shuffled). */
export function sklearnTrainTestSplit(n: number, testSize: number, seed: number): { train: Int32Array; test: Int32Array } {
  if (!(testSize > 0 && testSize < 1) || !Number.isInteger(n) || n < 2 || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new NsError('BAD_PARAM', `sklearnTrainTestSplit needs n >= 2, 0 < testSize < 1 and a 32-bit seed, got n=${n}, testSize=${testSize}, seed=${seed}.`, {
      kind: 'config', hint: 'Use e.g. testSize 0.2 and seed 42, as the original project did.',
    });
  }
  const perm = numpyPermutation(n, seed);
  const nTest = Math.ceil(testSize * n);
  return { test: perm.slice(0, nTest), train: perm.slice(nTest) };
}
