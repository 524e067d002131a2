import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { f1GroupBootstrap } from './bootstrap.js';
import { f1Score } from './classification.js';

const POS = -1;
const NEG = 1;
/** Outcomes of a scored row with their population shares: the population's F1 is 2·0.40 / (2·0.40 + 0.03 + 0.05) = 0.9091. */
const OUTCOMES = [
  { share: 0.4, truth: POS, pred: POS },
  { share: 0.03, truth: NEG, pred: POS },
  { share: 0.05, truth: POS, pred: NEG },
  { share: 0.52, truth: NEG, pred: NEG },
] as const;
const POPULATION_F1 = (2 * 0.4) / (2 * 0.4 + 0.03 + 0.05);

/** `nGroups` groups drawn from OUTCOMES, each with `copies(rng)` identical rows (same truth, same prediction). */
function draw(rng: Rng, nGroups: number, copies: (r: Rng) => number): { y: Float64Array; p: Float64Array; g: Int32Array } {
  const y: number[] = [];
  const p: number[] = [];
  const g: number[] = [];
  for (let k = 0; k < nGroups; k++) {
    let u = rng.next();
    const o = OUTCOMES.find((x) => (u -= x.share) < 0) ?? OUTCOMES[3];
    for (let c = copies(rng); c > 0; c--) {
      y.push(o.truth);
      p.push(o.pred);
      g.push(1000 + 7 * k);
    }
  }
  return { y: Float64Array.from(y), p: Float64Array.from(p), g: Int32Array.from(g) };
}

describe('f1GroupBootstrap', () => {
  it('brackets the F1 of the rows it was given, the same for a seed', () => {
    const d = draw(new Rng(1), 600, (r) => 1 + r.int(3));
    const f1 = f1Score(d.y, d.p, POS);
    const a = f1GroupBootstrap(d.y, d.p, d.g, POS, { seed: 5 });
    expect(a.low).toBeLessThan(f1);
    expect(a.high).toBeGreaterThan(f1);
    expect(a).toMatchObject({ level: 0.95, resamples: 1000, groups: 600 });
    expect(f1GroupBootstrap(d.y, d.p, d.g, POS, { seed: 5 })).toEqual(a);
    expect(f1GroupBootstrap(d.y, d.p, d.g, POS, { seed: 6 }).low).not.toBe(a.low);
    const wider = f1GroupBootstrap(d.y, d.p, d.g, POS, { seed: 5, level: 0.99 });
    expect(wider.low).toBeLessThan(a.low);
    expect(wider.high).toBeGreaterThan(a.high);
  });

  it('covers the population F1 about 95% of the time over fresh test sets', () => {
    const rng = new Rng(7);
    let covered = 0;
    const sims = 200;
    for (let s = 0; s < sims; s++) {
      const d = draw(rng, 400, (r) => 1 + r.int(3));
      const ci = f1GroupBootstrap(d.y, d.p, d.g, POS, { seed: s, resamples: 400 });
      if (ci.low <= POPULATION_F1 && POPULATION_F1 <= ci.high) covered++;
    }
    // Binomial spread of the count at 95%: about ±3 per 200; a row bootstrap of these grouped rows covered 85%.
    expect(covered / sims).toBeGreaterThan(0.89);
    expect(covered / sims).toBeLessThan(0.99);
  });

  it('keeps the copies of a vector together: 20 copies per group widen the interval about √20 times over one row per group', () => {
    const d = draw(new Rng(3), 300, () => 20);
    const asGroups = f1GroupBootstrap(d.y, d.p, d.g, POS, { seed: 1 });
    const asRows = f1GroupBootstrap(d.y, d.p, Int32Array.from(d.g, (_, i) => i), POS, { seed: 1 });
    const ratio = (asGroups.high - asGroups.low) / (asRows.high - asRows.low);
    expect(ratio).toBeGreaterThan(3);
    expect(ratio).toBeLessThan(6);
    expect(asGroups.groups).toBe(300);
  });

  it('gives [1, 1] for a perfect predictor and refuses mismatched or empty input with a code', () => {
    const perfect = Float64Array.from({ length: 200 }, (_, i) => (i % 2 ? POS : NEG));
    expect(f1GroupBootstrap(perfect, perfect, Int32Array.from(perfect, (_, i) => i), POS)).toMatchObject({ low: 1, high: 1 });
    const y = Float64Array.from([POS, NEG, POS, NEG]);
    expect(() => f1GroupBootstrap(y, y.subarray(1), Int32Array.from([1, 2, 3, 4]), POS)).toThrow(expect.objectContaining({ code: 'BAD_SHAPE' }));
    expect(() => f1GroupBootstrap(new Float64Array(0), new Float64Array(0), new Int32Array(0), POS)).toThrow(expect.objectContaining({ code: 'BAD_PARAM' }));
    expect(() => f1GroupBootstrap(y, y, Int32Array.from([1, 2, 3, 4]), POS, { level: 1 })).toThrow(expect.objectContaining({ code: 'BAD_PARAM' }));
  });
});
