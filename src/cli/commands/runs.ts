/** `networksecurity runs`: pipeline runs with status, champion and F1. */
import { ExitCode } from '../../core/errors.js';
import type { CliCommand } from '../command.js';
import { bool, num } from '../flags.js';

export const runsCommand: CliCommand = {
  name: 'runs',
  summary: 'List pipeline runs with status, best model, F1 and champion',
  usage: 'runs [--limit <n>] [--json]',
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
      io.out('No runs yet. Start one with `networksecurity train`.');
      return ExitCode.ok;
    }
    io.out(`${'run'.padEnd(32)} ${'status'.padEnd(11)} ${'last stage'.padEnd(10)} ${'best'.padEnd(20)} ${'F1'.padEnd(7)} model`);
    for (const r of runs) {
      const s = r.summary as { best?: string; f1?: number | null; champion?: { version: number } | null };
      const mark = champion?.runId === r.id ? ' (champion)' : '';
      io.out(`${r.id.padEnd(32)} ${r.status.padEnd(11)} ${(r.lastStage ?? '-').padEnd(10)} ${(s.best ?? '-').padEnd(20)} ${(s.f1 != null ? s.f1.toFixed(4) : '-').padEnd(7)} ${s.champion ? `v${s.champion.version}` : '-'}${mark}${r.error ? `  ${r.error.code}` : ''}`);
    }
    return ExitCode.ok;
  },
};
