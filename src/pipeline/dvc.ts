/**
 * The pipeline as a DVC pipeline (`networksecurity data export-dvc`): a `dvc.yaml` whose stages call our
 * CLI — `etl` of the input CSV, then one `train --stage <name>` per pipeline stage — with their deps,
 * params (from `params.yaml`, interpolated into the commands) and outs, so `dvc repro` runs the pipeline,
 * re-runs only what a changed file or parameter touches, and `dvc dag` draws it. The outs are the stage
 * output files that `train --stage` writes (src/cli/commands/train-stage.ts); evaluate's is a DVC metrics
 * file. Pure: returns the two files' text.
 */
import { stringify } from 'yaml';
import { STAGES, type PipelineOptions, type StageName } from './types.js';

export interface DvcParams {
  seed: number;
  test_size: number;
  max_bad_row_share: number;
  drift_share: number;
  imputer: string;
  scaler: string;
  preset: string;
  cv_folds: number;
  tolerance: number;
}

export interface DvcPipelineInput {
  /** How to call our CLI, e.g. "networksecurity" or "npx networksecurity". */
  cli: string;
  /** The CSV the etl stage loads, relative to the dvc.yaml folder (or absolute). */
  input: string;
  /** Folder of the stage output files, relative to the dvc.yaml folder. */
  outs: string;
  params: DvcParams;
}

/** Each stage's parameters: params.yaml key → `train` flag. */
const STAGE_PARAMS: Record<StageName, [keyof DvcParams, string][]> = {
  ingest: [['seed', 'seed'], ['test_size', 'test-size']],
  validate: [['max_bad_row_share', 'max-bad-row-share'], ['drift_share', 'drift-share']],
  transform: [['imputer', 'imputer'], ['scaler', 'scaler']],
  train: [['preset', 'preset'], ['cv_folds', 'cv'], ['seed', 'seed']],
  evaluate: [['tolerance', 'tolerance']],
  push: [],
};

/** Extra outs beyond <stage>.json. */
const EXTRA_OUTS: Partial<Record<StageName, string[]>> = { ingest: ['snapshot.csv'], train: ['model.nsm'] };

export function dvcParams(o: PipelineOptions): DvcParams {
  return {
    seed: o.seed, test_size: o.testSize, max_bad_row_share: o.maxBadRowShare, drift_share: o.driftShareThreshold,
    imputer: o.imputer, scaler: o.scaler, preset: o.plan.preset, cv_folds: o.cvFolds, tolerance: o.tolerance,
  };
}

function quote(arg: string): string {
  return /^[\w./:@%+=-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function dvcPipeline(input: DvcPipelineInput): { dvcYaml: string; paramsYaml: string } {
  const out = (name: string): string => `${input.outs}/${name}`;
  const stages: Record<string, unknown> = {
    etl: {
      desc: 'Load the CSV into the record store (records already stored are not added again)',
      cmd: `${input.cli} etl --source ${quote(input.input)} --json > ${quote(out('etl.json'))}`,
      deps: [input.input],
      outs: [{ [out('etl.json')]: { cache: false } }],
    },
  };
  let previous = out('etl.json');
  for (const stage of STAGES) {
    const params = STAGE_PARAMS[stage];
    const flags = params.map(([key, flag]) => `--${flag} \${${key}}`).join(' ');
    const json = out(`${stage}.json`);
    stages[stage] = {
      cmd: `${input.cli} train --stage ${stage} --outs ${quote(input.outs)}${flags ? ` ${flags}` : ''}`,
      deps: [previous],
      ...(params.length > 0 ? { params: [...new Set(params.map(([key]) => key))] } : {}),
      ...(stage === 'evaluate'
        ? { metrics: [{ [json]: { cache: false } }] }
        : { outs: [{ [json]: { cache: false } }, ...(EXTRA_OUTS[stage] ?? []).map(out)] }),
    };
    previous = json;
  }
  const header = '# Written by `networksecurity data export-dvc`: each stage calls the networksecurity CLI.\n'
    + '# `dvc repro` runs the pipeline (again only where a dep or a parameter in params.yaml changed).\n';
  return { dvcYaml: header + stringify({ stages }, { lineWidth: 0 }), paramsYaml: '# Parameters of the networksecurity stages in dvc.yaml.\n' + stringify(input.params) };
}
