/** `networksecurity runs`: pipeline runs with status, champion and F1. */
import { ExitCode } from '../../core/errors.js';
import type { CliCommand } from '../command.js';
import { bool, num } from '../flags.js';
import { formatTable } from '../table.js';

export const runsCommand: CliCommand = {
  name: 'runs',
  summary: 'List pipeline runs with status, best model, F1 and champion',
  usage: 'runs [--limit <n>] [--json]',
  readOnly: () => true,
  flags: [
    { name: 'limit', type: 'string', value: '<n>', description: 'how many runs (default 20)' },
    { name: 'json', type: 'boolean', description: 'print JSON' },
  ],
  async run({ flags, ctx, io }) {
    const context = await ctx();
    const runs = await context.runs.list(num(flags, 'limit', 20, [1, 10000]));
    const champion = await context.registry.getAlias('champion');
    if (bool(flags, 'json')) {
      io.out(JSON.stringify({ champion: champion ? { version: champion.version, runId: champion.runId } : null, runs }, null, 2));
      return ExitCode.ok;
    }
    if (runs.length === 0) {
      io.out(context.config.NS_STATE_URL
        ? `No runs yet in ${context.registry.describe()}. Start one with \`networksecurity train\`.`
        : `No runs yet in ${context.paths.home}. Start one with \`networksecurity train\` (or set NS_HOME to the folder that holds them).`);
      return ExitCode.ok;
    }
    const rows = runs.map((r) => {
      const s = r.summary as { best?: string; f1?: number | null; champion?: { version: number } | null };
      const mark = champion?.runId === r.id ? ' (champion)' : '';
      return [r.id, r.status, r.lastStage ?? '-', s.best ?? '-', s.f1 != null ? s.f1.toFixed(4) : '-', `${s.champion ? `v${s.champion.version}` : '-'}${mark}`, r.error?.code ?? ''];
    });
    for (const line of formatTable(['run', 'status', 'last stage', 'best', 'F1', 'model', 'error'], rows)) io.out(line);
    return ExitCode.ok;
  },
};
