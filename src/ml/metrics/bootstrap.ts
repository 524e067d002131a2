/**
 * How far a test F1 could move with another draw of the test set: a percentile bootstrap over groups of
 * rows. Rows with identical feature vectors are one group (featureVectorGroups); the leakage-aware split
 * draws groups, not rows, so the bootstrap resamples whole groups with replacement, which keeps the
 * copies of a vector together (resampling rows would treat them as independent evidence and give too
 * narrow an interval). Each resample's F1 comes from the per-group counts of true positives, false
 * positives and false negatives, so a resample costs one draw per group.
 *
 * @example
 *   const ci = f1GroupBootstrap(yTest, yPred, featureVectorGroups(XTest), -1, { seed: 42 });
 *   ci.low; ci.high; // 95% percentile interval of F1 with -1 positive
 */
import { NsError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { percentileSorted } from '../preprocessing/base.js';

export interface BootstrapInterval {
  low: number;
  high: number;
  /** Coverage the interval is meant for (0.95 by default). */
  level: number;
  resamples: number;
  /** Groups drawn per resample (the distinct groups of the scored rows). */
  groups: number;
}

export interface BootstrapOptions {
  resamples?: number;
  level?: number;
  seed?: number;
}

/** Percentile bootstrap interval of F1 (`posLabel` positive), resampling `groups` with replacement. */
export function f1GroupBootstrap(yTrue: Float64Array, yPred: Float64Array, groups: Int32Array, posLabel: number, opts: BootstrapOptions = {}): BootstrapInterval {
  const resamples = opts.resamples ?? 1000;
  const level = opts.level ?? 0.95;
  if (yTrue.length !== yPred.length || yTrue.length !== groups.length) {
    throw new NsError('BAD_SHAPE', `f1GroupBootstrap got ${yTrue.length} labels, ${yPred.length} predictions and ${groups.length} group ids.`, { hint: 'Pass one label, prediction and group id per scored row.' });
  }
  if (yTrue.length === 0 || !(resamples >= 1) || !(level > 0 && level < 1)) {
    throw new NsError('BAD_PARAM', `f1GroupBootstrap needs rows, resamples >= 1 and 0 < level < 1 (got ${yTrue.length} rows, ${resamples}, ${level}).`, { hint: 'Score at least one row; keep the defaults (1000 resamples, 0.95).' });
  }
  const index = new Map<number, number>();
  const counts: number[] = []; // tp, fp, fn per dense group
  for (let i = 0; i < yTrue.length; i++) {
    let g = index.get(groups[i]!);
    if (g === undefined) {
      g = index.size;
      index.set(groups[i]!, g);
      counts.push(0, 0, 0);
    }
    const truePos = yTrue[i] === posLabel;
    const predPos = yPred[i] === posLabel;
    if (truePos && predPos) counts[3 * g]!++;
    else if (predPos) counts[3 * g + 1]!++;
    else if (truePos) counts[3 * g + 2]!++;
  }
  const per = Int32Array.from(counts);
  const n = index.size;
  const rng = new Rng(opts.seed ?? 0);
  const f1s = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let k = 0; k < n; k++) {
      const g = 3 * rng.int(n);
      tp += per[g]!;
      fp += per[g + 1]!;
      fn += per[g + 2]!;
    }
    f1s[r] = tp + fp + fn === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  f1s.sort();
  const tail = 50 * (1 - level);
  return { low: percentileSorted(f1s, tail), high: percentileSorted(f1s, 100 - tail), level, resamples, groups: n };
}
