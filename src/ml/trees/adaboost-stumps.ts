/**
 * A faster fit of AdaBoostClassifier with stumps (maxDepth 1, the default and the original project's
 * base learner) that gives exactly the model `new AdaBoostClassifier(params).fit(X, y)` gives, state
 * array for array (tested in adaboost-stumps.test.ts); the search uses it for its AdaBoost grids.
 *
 * Same rounds, same arithmetic in the same order as adaboost.ts + cart.ts, with two changes that do not
 * alter a single sum: the per-(feature, bin) class-weight histogram of a round is built in one pass over
 * the distinct vectors (each accumulator still receives its terms in vector order) instead of one pass
 * per feature, and each stump is built in a 3-node buffer instead of one sized for a full tree.
 *
 * @example
 *   const state = fitAdaBoostStumps(X, y, { ...adaBoostDefaults, nEstimators: 256, learningRate: 0.1 });
 *   adaBoostFactory.fromState(state).predict(Xtest);
 */
import type { Matrix } from '../../core/matrix.js';
import type { Rng } from '../../core/rng.js';
import type { ModelState } from '../estimator.js';
import type { AdaBoostParams } from './adaboost.js';
import { sammeBoost } from './adaboost.js';
import type { CartData } from './cart.js';
import { giniPurityMass, impurityMass, negEntropyMass, newBestCut, scanCuts } from './cart-impurity.js';
import { cartData, prepareTraining } from './prepare.js';
import type { TreeArrays } from './tree.js';
import { TreeBuilderBuffer } from './tree.js';

/** True when the params are ones this fit handles (stumps, valid values); otherwise use the class. */
export function stumpsApply(p: AdaBoostParams): boolean {
  return p.maxDepth === 1 && Number.isInteger(p.nEstimators) && p.nEstimators >= 1 && Number.isFinite(p.learningRate) && p.learningRate > 0
    && ['gini', 'entropy', 'log_loss'].includes(p.criterion) && Number.isInteger(p.randomState) && p.randomState >= 0;
}

/** Row-major histogram slots of the distinct vectors (3 * (binOffset[f] + bin)), and each feature's first bin. */
interface StumpData {
  data: CartData;
  slots: Uint16Array;
  binOffset: Int32Array;
}

/** The best stump on (w0, w1, cnt), exactly as buildCart with maxDepth 1 and all features. */
function buildStump(sd: StumpData, w0: Float64Array, w1: Float64Array, cnt: Float64Array, entropy: boolean, rng: Rng, hist: Float64Array): TreeArrays {
  const { n, nFeatures, nBins } = sd.data;
  const { slots, binOffset } = sd;
  const purity = entropy ? negEntropyMass : giniPurityMass;
  hist.fill(0);
  let W0 = 0;
  let W1 = 0;
  let Wc = 0;
  for (let u = 0; u < n; u++) {
    const c = cnt[u]!;
    if (!(c > 0)) continue;
    const a0 = w0[u]!;
    const a1 = w1[u]!;
    W0 += a0;
    W1 += a1;
    Wc += c;
    const end = (u + 1) * nFeatures;
    for (let k = u * nFeatures; k < end; k++) {
      const b = slots[k]!;
      hist[b]! += a0;
      hist[b + 1]! += a1;
      hist[b + 2]! += c;
    }
  }
  const buf = new TreeBuilderBuffer(3);
  buf.addLeaf(W0 + W1 > 0 ? W1 / (W0 + W1) : 0.5, W0 + W1);
  if (!(Wc < 2 || W0 <= 0 || W1 <= 0)) {
    const features = new Int32Array(nFeatures);
    for (let f = 0; f < nFeatures; f++) features[f] = f;
    const best = newBestCut();
    for (let visited = 0; visited < nFeatures; visited++) {
      const j = visited + rng.int(nFeatures - visited);
      const f = features[j]!;
      features[j] = features[visited]!;
      features[visited] = f;
      const h = 3 * binOffset[f]!;
      const nb = nBins[f]!;
      let lo = 0;
      while (hist[h + 3 * lo + 2] === 0) lo++;
      let hi = nb - 1;
      while (hist[h + 3 * hi + 2] === 0) hi--;
      if (lo === hi) continue;
      scanCuts(hist, h, f, lo, lo, hi - 1, W0, W1, Wc, 1, false, purity, best);
    }
    const bestF = best[1]!;
    if (bestF >= 0) {
      const bestBin = best[2]!;
      const bL0 = best[3]!;
      const bL1 = best[4]!;
      const bR0 = W0 - bL0;
      const bR1 = W1 - bL1;
      const gain = impurityMass(entropy, W0, W1) - impurityMass(entropy, bL0, bL1) - impurityMass(entropy, bR0, bR1);
      const wl = bL0 + bL1;
      const wr = bR0 + bR1;
      buf.split(0, bestF, bestBin, Math.max(0, gain), wl > 0 ? bL1 / wl : 0.5, wl, wr > 0 ? bR1 / wr : 0.5, wr);
    }
  }
  return buf.finish(sd.data.edges, sd.data.offsets);
}

/**
 * The fitted state of `new AdaBoostClassifier(p).fit(X, y)` for params where `stumpsApply(p)`; returns
 * undefined when the first stump is no better than chance (the class then throws WEAK_LEARNER).
 */
export function fitAdaBoostStumps(X: Matrix, y: Float64Array, p: AdaBoostParams): ModelState | undefined {
  const ts = prepareTraining('AdaBoostClassifier', X, y, undefined, null);
  const data = cartData(ts);
  const nf = data.nFeatures;
  const binOffset = new Int32Array(nf + 1);
  for (let f = 0; f < nf; f++) binOffset[f + 1] = binOffset[f]! + data.nBins[f]!;
  const slots = new Uint16Array(data.n * nf);
  for (let f = 0; f < nf; f++) for (let u = 0; u < data.n; u++) slots[u * nf + f] = 3 * (binOffset[f]! + data.colBins[f * data.n + u]!);
  const sd: StumpData = { data, slots, binOffset };
  const hist = new Float64Array(3 * binOffset[nf]!);
  const entropy = p.criterion !== 'gini';
  const out = sammeBoost(ts, data, p, (w0, w1, cnt, rng) => buildStump(sd, w0, w1, cnt, entropy, rng, hist));
  if ('firstError' in out) return undefined;
  const f = out.forest;
  return {
    kind: 'adaboost',
    params: { ...p },
    json: { nFeatures: f.nFeatures, link: 'sigmoid', perTreeImportance: true, extra: { nEstimators: out.nEstimators } },
    arrays: {
      classes: ts.target.classes, edges: ts.mapper.edges, offsets: ts.mapper.offsets, roots: f.roots, feature: f.feature,
      thresholdBin: f.thresholdBin, threshold: f.threshold, left: f.left, value: f.value, cover: f.cover, gain: f.gain,
      baseScale: Float64Array.of(f.base, f.scale),
    },
  };
}
