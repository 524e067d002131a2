import { describe, expect, it } from 'vitest';
import { softVoteTopK } from './soft-vote.js';
import type { Split } from './split.js';

const POS = -1;
const NEG = 1;
// Six rows in two folds of three.
const y = Float64Array.from([POS, POS, NEG, POS, NEG, NEG]);
const folds: Split[] = [
  { train: Int32Array.from([3, 4, 5]), test: Int32Array.from([0, 1, 2]) },
  { train: Int32Array.from([0, 1, 2]), test: Int32Array.from([3, 4, 5]) },
];
const cand = (meanScore: number, p: number[]): { meanScore: number; oof: Float64Array } => ({ meanScore, oof: Float64Array.from(p) });

describe('softVoteTopK (the train stage soft-vote rule)', () => {
  it('averages the top candidates, thresholds at 0.5 and takes the vote only when it beats the best single', () => {
    // a misses row 1, b misses row 3; their average is right on every row.
    const a = cand(0.9, [0.9, 0.4, 0.1, 0.9, 0.1, 0.1]);
    const b = cand(0.85, [0.9, 0.9, 0.1, 0.4, 0.1, 0.1]);
    const c = cand(0.5, [0, 0, 1, 0, 1, 1]);
    const r = softVoteTopK([a, b, c], y, folds, POS, NEG);
    // top 2: mean P(pos) = 0.9, 0.65, 0.1, 0.65, 0.1, 0.1 → all right → F1 1 on both folds.
    // top 3: 0.6, 0.433, 0.4, 0.433, 0.4, 0.4 → rows 1 and 3 missed → F1 2/3 and 0.
    expect(r.tried.map((t) => t.size)).toEqual([2, 3]);
    expect(r.tried[0]!.mean).toBe(1);
    expect(r.tried[1]!.mean).toBeCloseTo(1 / 3, 12);
    expect(r.chosen?.size).toBe(2);
    expect(r.chosen?.foldScores).toEqual([1, 1]);
    expect(Array.from(r.chosen!.oof)).toEqual([0.9, 0.65, 0.1, 0.65, 0.1, 0.1].map((v) => expect.closeTo(v, 12) as unknown as number));
  });

  it('counts a probability of exactly 0.5 as positive', () => {
    const a = cand(0.5, [1, 1, 0, 1, 0, 0]);
    const b = cand(0.4, [0, 0, 0, 0, 0, 0]);
    const r = softVoteTopK([a, b], y, folds, POS, NEG);
    expect(r.tried).toEqual([{ size: 2, mean: 1 }]);
    expect(r.chosen?.size).toBe(2);
  });

  it('offers no vote when none beats the best single candidate, and tries only the sizes there are candidates for', () => {
    const a = cand(1, [1, 1, 0, 1, 0, 0]);
    const b = cand(0.2, [0, 0, 1, 0, 1, 1]);
    const r = softVoteTopK([a, b], y, folds, POS, NEG);
    expect(r.tried.map((t) => t.size)).toEqual([2]);
    expect(r.chosen).toBeNull();
    expect(softVoteTopK([a], y, folds, POS, NEG)).toEqual({ tried: [], chosen: null });
  });
});
