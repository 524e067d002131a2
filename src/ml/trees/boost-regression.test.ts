import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prepareBoosting } from './boost-prepared.js';
import { caseData, REGRESSION_CASES, stateDigest } from './boost.test-helpers.js';
import { HistGradientBoostingClassifier } from './hist-gradient-boosting.js';
import { PHISHING_CSV, phishingSplit } from './phishing.test-helpers.js';

const { train } = phishingSplit(readFileSync(PHISHING_CSV, 'utf8'));

// Digests of the models fitted by the builder before it was sped up (commit 39c735b): the faster
// code must reproduce every tree bit for bit.
const SAVED: Record<string, string> = {
  'depth3-sub0.6': 'df7dbb6a62f38d7d5231755246dd9a7008a2a8788b3b760e01084a1cdefd8b5e',
  'depth6-full': '3647197f89b3d3c73f57a65cc0a564e3b85a1de3d8617086452991056b0ee136',
  'early-stop': 'e762f37b9de2e5ed5e448fbd38d4a52aacdaa88b2bcce0edb957f0a37d5bb6db',
  'leaf-limit': '9dffcb55f89fb57961ec62b6a0fe511b9d766847ef3b962791b8ee1e636c2774',
  'weighted': '3500b8fa5a73e563fe4f56dfc641d98725427a83299c86000b5b45d42ddc40d1',
};

describe('HistGradientBoostingClassifier regression', () => {
  for (const c of REGRESSION_CASES) {
    it(`reproduces the saved model: ${c.name}`, async () => {
      const { ds, sampleWeight } = caseData(train, c);
      const gb = await new HistGradientBoostingClassifier(c.params).fit(ds.X, ds.y, { sampleWeight });
      expect(stateDigest(gb.toState())).toBe(SAVED[c.name]);
    });
  }

  it('fitPrepared on one shared binning gives the saved models of fit', async () => {
    const c = REGRESSION_CASES.find((r) => r.name === 'weighted')!;
    const { ds, sampleWeight } = caseData(train, c);
    const prep = prepareBoosting(ds.X, ds.y, sampleWeight);
    const a = await new HistGradientBoostingClassifier(c.params).fitPrepared(prep);
    const other = await new HistGradientBoostingClassifier({ ...c.params, learningRate: 0.5 }).fitPrepared(prep);
    const b = await new HistGradientBoostingClassifier(c.params).fitPrepared(prep);
    expect(stateDigest(a.toState())).toBe(SAVED.weighted);
    expect(stateDigest(b.toState())).toBe(SAVED.weighted);
    expect(stateDigest(other.toState())).not.toBe(SAVED.weighted);
  });

  it('prepareBoosting rejects bad input like fit does', () => {
    const { ds } = caseData(train, REGRESSION_CASES[0]!);
    expect(() => prepareBoosting(ds.X, ds.y.subarray(1))).toThrow(/HistGradientBoostingClassifier/);
  });
});
