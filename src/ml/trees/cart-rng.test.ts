import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { CartRng } from './cart-rng.js';

describe('CartRng', () => {
  it('draws exactly the stream of core Rng for the same seed', () => {
    for (const seed of [0, 1, 42, 0x7fffffff, 0x80000000, 0xffffffff, 123_456_789]) {
      const ours = new CartRng(seed);
      const core = new Rng(seed);
      for (let k = 0; k < 2000; k++) {
        expect(ours.nextU32()).toBe(core.nextU32());
        const n = 1 + (k % 37) * 251;
        expect(ours.int(n)).toBe(core.int(n));
      }
    }
  });
});
