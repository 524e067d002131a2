import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { STAGES } from './types.js';
import { dvcPipeline, type DvcParams } from './dvc.js';

const params: DvcParams = { seed: 7, test_size: 0.2, max_bad_row_share: 0.01, drift_share: 0.5, imputer: 'most_frequent', scaler: 'none', preset: 'quick', cv_folds: 5, tolerance: 0 };

interface DvcStage { cmd: string; deps: string[]; params?: string[]; outs?: (string | Record<string, unknown>)[]; metrics?: Record<string, unknown>[] }

function outNames(s: DvcStage): string[] {
  return [...(s.outs ?? []), ...(s.metrics ?? [])].map((o) => (typeof o === 'string' ? o : Object.keys(o)[0]!));
}

describe('dvcPipeline', () => {
  const files = dvcPipeline({ cli: 'networksecurity', input: 'data/my file.csv', outs: 'stages', params });
  const { stages } = parse(files.dvcYaml) as { stages: Record<string, DvcStage> };

  it('has an etl stage and one stage per pipeline stage, each depending on the outs of the one before', () => {
    expect(Object.keys(stages)).toEqual(['etl', ...STAGES]);
    const names = Object.keys(stages);
    for (let i = 1; i < names.length; i++) expect(stages[names[i]!]!.deps).toEqual([outNames(stages[names[i - 1]!]!)[0]]);
    expect(stages['etl']!.deps).toEqual(['data/my file.csv']);
    expect(stages['etl']!.cmd).toBe("networksecurity etl --source 'data/my file.csv' --json > stages/etl.json");
  });

  it('interpolates only parameters that params.yaml defines, and tracks each one the command uses', () => {
    const defined = Object.keys(parse(files.paramsYaml) as Record<string, unknown>);
    expect(parse(files.paramsYaml)).toEqual(params);
    for (const [name, s] of Object.entries(stages)) {
      const used = [...s.cmd.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]!);
      for (const u of used) expect(defined, `${name} uses ${u}`).toContain(u);
      expect([...new Set(used)].sort(), name).toEqual([...(s.params ?? [])].sort());
    }
    expect(stages['train']!.cmd).toBe('networksecurity train --stage train --outs stages --preset ${preset} --cv ${cv_folds} --seed ${seed}');
  });

  it('versions the snapshot and the model in the DVC cache and makes evaluate a metrics file', () => {
    expect(outNames(stages['ingest']!)).toEqual(['stages/ingest.json', 'stages/snapshot.csv']);
    expect(outNames(stages['train']!)).toEqual(['stages/train.json', 'stages/model.nsm']);
    expect(stages['evaluate']!.metrics).toEqual([{ 'stages/evaluate.json': { cache: false } }]);
  });
});
