import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { FastRng } from './boost-rng.js';

describe('FastRng', () => {
  it('draws the same integers as Rng for several seeds and ranges', () => {
    for (const seed of [0, 1, 42, 0x7fffffff, 0xffffffff]) {
      const a = new Rng(seed);
      const b = new FastRng(seed);
      const want = new Int32Array(4000);
      const got = new Int32Array(4000);
      for (let i = 0; i < 4000; i++) {
        const n = 1 + ((i * 7919) % 100003);
        want[i] = a.int(n);
        got[i] = b.int(n);
      }
      expect(got).toEqual(want);
    }
  });

  it('shuffles like Rng.shuffle', () => {
    const a = Int32Array.from({ length: 1000 }, (_, i) => i);
    const b = a.slice();
    new Rng(9).shuffle(a);
    new FastRng(9).shuffle(b);
    expect(b).toEqual(a);
    expect(b).not.toEqual(Int32Array.from({ length: 1000 }, (_, i) => i));
  });
});
