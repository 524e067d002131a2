/**
 * Quality probe for the default preset on the leakage-aware holdout (issue 12). For each seed it makes
 * the split the ingest stage makes on the bundled data (stableGroupSplit, test share 0.2, nothing
 * carried), writes the split's row indices for the Python peers (bench/quality/peers_holdout.py), runs
 * the default plan through the model-selection engine as the train stage does (5 group folds on the
 * training side, F1 of phishing) and writes, per family, the CV-chosen setting's out-of-fold and test
 * probabilities of phishing, so ensembles and stacking can be judged offline by CV only.
 *
 *   nice -n 10 node --import tsx bench/quality/holdout-probe.ts --out /tmp/q --seeds 42,1,7,0,2,3 [--extra]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { takeDataset } from '../../src/core/matrix.js';
import { classifierKinds } from '../../src/ml/catalog.js';
import { featureVectorGroups, parameterGrid, searchCandidates, stableGroupSplit, stratifiedGroupKFold } from '../../src/ml/model-selection/index.js';
import { parsePhishingCsv } from '../../src/ml/trees/phishing.test-helpers.js';
import { trainingPlan, type CandidateSpec } from '../../src/pipeline/plan.js';
import { phishingScores } from '../../src/pipeline/evaluation.js';

const PHISHING = -1;
const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const out = arg('out', '/tmp/holdout-probe');
const seeds = arg('seeds', '42,1,7,0,2,3').split(',').map(Number);
const extraJson = arg('extra', '');
mkdirSync(out, { recursive: true });
const all = parsePhishingCsv(readFileSync(path.join(import.meta.dirname, '../../data/phisingData.csv'), 'utf8'));
const groupsAll = featureVectorGroups(all.X);
const extra: CandidateSpec[] = extraJson ? (JSON.parse(readFileSync(extraJson, 'utf8')) as CandidateSpec[]) : [];
const base = arg('base', '1') === '1' ? trainingPlan('default', classifierKinds()).plan.candidates : [];
const specs = [...base, ...extra];

for (const seed of seeds) {
  const split = stableGroupSplit(all.y, groupsAll, { testSize: 0.2, seed });
  writeFileSync(path.join(out, `split-${seed}.json`), JSON.stringify({ train: [...split.train], test: [...split.test] }));
  const tr = takeDataset(all, split.train);
  const te = takeDataset(all, split.test);
  const folds = stratifiedGroupKFold(tr.y, featureVectorGroups(tr.X), 5, { seed });
  const candidates = specs.flatMap((s) => parameterGrid(s.grid).map((combo) => ({ kind: s.kind, params: { ...s.params, ...combo } })));
  const t0 = performance.now();
  const result = await searchCandidates(candidates, tr.X, tr.y, { cv: folds, scoring: 'f1', posLabel: PHISHING, nJobs: Number(arg('jobs', '2')), refit: 'perKind', oof: true });
  const seconds = (performance.now() - t0) / 1000;
  const families = specs.map((s) => {
    const b = result.bestByKind![s.kind]!;
    return { name: s.name, kind: s.kind, params: b.trial.params, cv: b.trial.meanScore, oof: [...b.trial.oof!], test: [...phishingScores(b.estimator, te.X)] };
  });
  const folded = folds.map((f) => [...f.test]);
  writeFileSync(path.join(out, `probs-${seed}${extraJson ? '-' + path.basename(extraJson, '.json') : ''}.json`), JSON.stringify({ seed, seconds, ytr: [...tr.y], yte: [...te.y], folds: folded, families }));
  console.log(`seed ${seed}: ${seconds.toFixed(1)} s; ` + families.map((f) => `${f.name} cv ${f.cv.toFixed(4)}`).join(', '));
}
