import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { scaledRows } from '../../../bench/scale/data.js';
import { closeSharedPool } from '../parallel/pool.js';
import { stateDigest } from './boost.test-helpers.js';
import { ExtraTreesClassifier, RandomForestClassifier } from './forest.js';
import { PHISHING_CSV, parsePhishingCsv, phishingSplit } from './phishing.test-helpers.js';

const text = readFileSync(PHISHING_CSV, 'utf8');
const { train } = phishingSplit(text);
// Mostly distinct rows, as in `bench scale` (bundled rows with 3 of 30 features re-drawn): the path of large fits.
const large = scaledRows(parsePhishingCsv(text), 30_000, 1);

// Digests of the models fitted before the forest's fit was sped up (commit 0328156): the faster code
// must reproduce every tree bit for bit, with one thread and with two.
const SAVED: Record<string, string> = {
  'rf-bundled': '288b9a0b80f507c4186d4a4000cf634148dece1478ea267cb30e6738176c4f17',
  'rf-scaled': 'df9e346bf05cd4c5fe677dca91a72caf26400a43eabf13a047040caa27bcb977',
  'et-scaled': 'e1280f9b7333c914eda74e41a82ead1b84b4fd9c46c2f023a36b8615a64036ea',
};

afterAll(closeSharedPool);

describe('forest regression', () => {
  const cases = [
    { name: 'rf-bundled', ds: train, make: (nJobs: number) => new RandomForestClassifier({ nEstimators: 20, nJobs, randomState: 3 }) },
    { name: 'rf-scaled', ds: large, make: (nJobs: number) => new RandomForestClassifier({ nEstimators: 12, nJobs, randomState: 0 }) },
    { name: 'et-scaled', ds: large, make: (nJobs: number) => new ExtraTreesClassifier({ nEstimators: 8, nJobs, randomState: 1 }) },
  ];
  for (const c of cases) {
    it(`reproduces the saved model: ${c.name}`, async () => {
      for (const nJobs of [1, 2]) {
        const model = await c.make(nJobs).fit(c.ds.X, c.ds.y);
        expect(stateDigest(model.toState()), `nJobs ${nJobs}`).toBe(SAVED[c.name]);
      }
    });
  }
});
