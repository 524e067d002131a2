/**
 * `networksecurity data versions`: the recorded data snapshots (sha256, rows, source, watermark) of the
 * pipeline runs; `train --snapshot <sha256>` reproduces a run on one of them.
 * `networksecurity data export-dvc`: the pipeline as a DVC pipeline (dvc.yaml + params.yaml).
 */
import { ExitCode, NsError } from '../../core/errors.js';
import type { CliCommand } from '../command.js';
import { bool } from '../flags.js';
import { exportDvc, exportDvcFlags } from './data-dvc.js';
import { formatTable } from '../table.js';

interface DataSummary { snapshotSha256?: string; rows?: number; newRecords?: number; watermark?: number }

export const dataCommand: CliCommand = {
  name: 'data',
  summary: 'List the recorded data snapshots (data versions), or export the pipeline for DVC',
  usage: 'data versions [--json] | data export-dvc [--dir <folder>] [--input <csv>] [--cli <command>] [--outs <dir>] [--force] [train flags]',
  actions: [
    { name: 'versions', usage: 'data versions [--json]', summary: 'Data snapshots recorded by runs (sha256, rows, new rows, watermark); `train --snapshot <sha256>` reproduces a run on one' },
    { name: 'export-dvc', usage: 'data export-dvc [--dir <folder>] [--input <csv>] [--cli <command>] [--outs <dir>] [--force] [train flags]', summary: 'Write dvc.yaml and params.yaml: the pipeline as a DVC pipeline whose stages call this CLI' },
  ],
  readOnly: () => true,
  flags: [{ name: 'json', type: 'boolean', description: 'print JSON' }, ...exportDvcFlags],
  async run({ flags, positionals, ctx, io }) {
    const [action = 'versions'] = positionals;
    if (action === 'export-dvc') return exportDvc(flags, ctx, io);
    if (action !== 'versions') throw new NsError('BAD_ARGUMENT', `Unknown data action "${action}".`, { hint: 'Use: networksecurity data versions, or networksecurity data export-dvc' });
    const context = await ctx();
    const seen = new Map<string, { sha256: string; rows: number; newRecords: number; watermark: string | null; firstRun: string; runs: number; createdAt: string }>();
    for (const r of (await context.runs.list(10000)).reverse()) {
      const d = r.summary['data'] as DataSummary | undefined;
      if (!d?.snapshotSha256) continue;
      const prev = seen.get(d.snapshotSha256);
      if (prev) prev.runs++;
      else seen.set(d.snapshotSha256, { sha256: d.snapshotSha256, rows: d.rows ?? 0, newRecords: d.newRecords ?? 0, watermark: d.watermark ? new Date(d.watermark).toISOString() : null, firstRun: r.id, runs: 1, createdAt: r.startedAt });
    }
    const versions = [...seen.values()].reverse();
    if (bool(flags, 'json')) {
      io.out(JSON.stringify({ source: context.records.describe(), versions }, null, 2));
      return ExitCode.ok;
    }
    if (versions.length === 0) {
      io.out(`No snapshots yet in ${context.paths.home}: each \`networksecurity train\` records one.`);
      return ExitCode.ok;
    }
    io.out(`source: ${context.records.describe()}`);
    const rows = versions.map((v) => [v.sha256.slice(0, 12), String(v.rows), String(v.newRecords), v.watermark ?? '-', String(v.runs), v.firstRun]);
    for (const line of formatTable(['snapshot', 'rows', 'new', 'watermark', 'runs', 'first run'], rows)) io.out(line);
    return ExitCode.ok;
  },
};
