/**
 * `networksecurity data export-dvc`: writes dvc.yaml and params.yaml (src/pipeline/dvc.ts) into a folder
 * (default: the current one), so a team on DVC can `dvc repro` and `dvc dag` the pipeline, and
 * `dvc push` the data snapshots and models the stages write. The train flags set params.yaml's values.
 * Existing files are kept unless --force. The two files are written both or neither.
 */
import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ExitCode, NsError } from '../../core/errors.js';
import type { AppContext } from '../../main/context.js';
import { writeFilesTogether } from '../../main/outputs.js';
import { dvcParams, dvcPipeline } from '../../pipeline/dvc.js';
import type { CommandIo, FlagSpec } from '../command.js';
import { bool, str } from '../flags.js';
import { pipelineOptions, trainFlags } from './train-options.js';

type Flags = Record<string, string | boolean | undefined>;

export const exportDvcFlags: FlagSpec[] = [
  { name: 'dir', type: 'string', value: '<folder>', description: 'export-dvc: where to write dvc.yaml and params.yaml (default: here)' },
  { name: 'input', type: 'string', value: '<csv>', description: 'export-dvc: the CSV the etl stage loads, relative to --dir (default data/phisingData.csv)' },
  { name: 'cli', type: 'string', value: '<command>', description: 'export-dvc: how the stages call this CLI (default networksecurity)' },
  { name: 'outs', type: 'string', value: '<dir>', description: 'export-dvc: folder of the stage outputs, relative to --dir (default stages)' },
  { name: 'force', type: 'boolean', description: 'export-dvc: overwrite an existing dvc.yaml / params.yaml' },
  ...trainFlags.filter((f) => !['full', 'snapshot', 'jobs'].includes(f.name)),
];

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}

export async function exportDvc(flags: Flags, ctx: () => Promise<AppContext>, io: CommandIo): Promise<number> {
  const context = await ctx();
  const dir = str(flags, 'dir') ?? '.';
  const outs = str(flags, 'outs') ?? 'stages';
  if (outs.startsWith('/') || outs.split('/').includes('..')) throw new NsError('BAD_FLAG_VALUE', `--outs must be a folder inside --dir, not "${outs}".`, { hint: 'Pass e.g. --outs stages.' });
  const files = dvcPipeline({
    cli: str(flags, 'cli') ?? 'networksecurity',
    input: str(flags, 'input') ?? 'data/phisingData.csv',
    outs,
    params: dvcParams(pipelineOptions(flags, context.config.NS_SEED, context.logger)),
  });
  const targets = [join(dir, 'dvc.yaml'), join(dir, 'params.yaml')];
  if (!bool(flags, 'force')) {
    for (const t of targets) {
      if (await exists(t)) throw new NsError('FILE_EXISTS', `${t} exists already.`, { kind: 'conflict', hint: 'Pass --force to overwrite it, or --dir to write elsewhere.' });
    }
  }
  await mkdir(join(dir, outs), { recursive: true });
  await writeFilesTogether([{ path: targets[0]!, body: files.dvcYaml }, { path: targets[1]!, body: files.paramsYaml }]);
  io.out(`wrote ${targets.join(' and ')}; run \`dvc repro\` there (stage outputs go to ${join(dir, outs)}/)`);
  return ExitCode.ok;
}
