import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';

describe('Rng', () => {
  it('keeps its stream: the same numbers for a seed as every earlier version (models and splits depend on it)', () => {
    const golden: [number, number[], number, number][] = [
      [0, [3809008728, 1133695204, 53579671, 2891528803, 139681546], 512, 0.024408058263361454],
      [42, [2837322924, 544945897, 479756282, 3500138142, 339756180], 26, 0.015209239441901445],
      [0xffffffff, [835879718, 1921286648, 2356205009, 1885780724, 980451116], 245, 0.8562097179237753],
    ];
    for (const [seed, u32, int1000, next] of golden) {
      const r = new Rng(seed);
      expect(Array.from({ length: 5 }, () => r.nextU32())).toEqual(u32);
      expect(r.int(1000)).toBe(int1000);
      expect(r.next()).toBe(next);
    }
  });

  it('draws integers in range and shuffles typed arrays and arrays into permutations', () => {
    const r = new Rng(7);
    for (let k = 0; k < 1000; k++) {
      const v = r.int(13);
      expect(Number.isInteger(v) && v >= 0 && v < 13).toBe(true);
    }
    const a = r.shuffle(Int32Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(a)).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(new Rng(7).fork()).toBe(new Rng(7).nextU32());
  });
});
