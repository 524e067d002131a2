/**
 * `networksecurity models list|promote <version>|rollback`: the registry's versions with their metrics
 * and lineage, and moves of the `champion` alias (compare-and-set: a concurrent move makes the command
 * fail with ALIAS_CONFLICT instead of overwriting it).
 */
import { ExitCode, NsError } from '../../core/errors.js';
import { promoteVersion, rollbackChampion } from '../../pipeline/tracking-hooks.js';
import { requireLoadable } from '../../main/champion.js';
import type { CliCommand } from '../command.js';
import { bool } from '../flags.js';
import { formatTable } from '../table.js';

export const modelsCommand: CliCommand = {
  name: 'models',
  summary: 'List model versions, promote one to champion, or roll back',
  usage: 'models list [--json] | models promote <version> | models rollback',
  actions: [
    { name: 'list', usage: 'models list [--json]', summary: 'Model versions with F1, run, data snapshot, and which is champion or challenger' },
    { name: 'promote', usage: 'models promote <version>', summary: 'Make <version> the champion (its bundle must load and verify, else MODEL_UNLOADABLE, exit 2)' },
    { name: 'rollback', usage: 'models rollback', summary: 'Make the previous champion the champion again' },
  ],
  readOnly: (positionals) => (positionals[0] ?? 'list') === 'list',
  flags: [{ name: 'json', type: 'boolean', description: 'print JSON (list)' }],
  async run({ flags, positionals, ctx, io }) {
    const [action = 'list', arg] = positionals;
    const context = await ctx();
    const { registry } = context;
    if (action === 'list') {
      const versions = await registry.list();
      const champion = await registry.getAlias('champion');
      const challenger = await registry.getAlias('challenger');
      if (bool(flags, 'json')) {
        io.out(JSON.stringify({ champion: champion?.version ?? null, challenger: challenger?.version ?? null, versions }, null, 2));
        return ExitCode.ok;
      }
      if (versions.length === 0) {
        io.out(`No model versions yet in ${context.paths.home}. Train one with \`networksecurity train\`.`);
        return ExitCode.ok;
      }
      const rows = versions.map((v) => {
        const f1 = v.metrics['f1Phishing'];
        const alias = champion?.version === v.version ? 'champion' : challenger?.version === v.version ? 'challenger' : '';
        return [`v${v.version}`, v.modelKind, f1 === undefined ? '-' : f1.toFixed(4), v.runId, v.snapshotSha256.slice(0, 12), v.createdAt, alias];
      });
      for (const line of formatTable(['version', 'kind', 'F1', 'run', 'snapshot', 'created', 'alias'], rows)) io.out(line);
      return ExitCode.ok;
    }
    if (action === 'promote') {
      const version = Number(arg);
      if (!Number.isInteger(version) || version < 1) throw new NsError('BAD_ARGUMENT', `"${arg ?? ''}" is not a model version.`, { hint: 'Usage: networksecurity models promote <version>, e.g. models promote 2.' });
      if (!(await registry.get(version))) throw new NsError('MODEL_NOT_FOUND', `There is no model version ${version}.`, { kind: 'not_found', hint: 'List versions with `networksecurity models list`.' });
      await requireLoadable(context, version);
      const current = await registry.getAlias('champion');
      await promoteVersion(registry, version, current?.version ?? null, 'promoted from the CLI');
      io.out(`model v${version} is the champion (was ${current ? `v${current.version}` : 'none'})`);
      return ExitCode.ok;
    }
    if (action === 'rollback') {
      const version = await rollbackChampion(registry, 'rolled back from the CLI', (v) => requireLoadable(context, v));
      io.out(`rolled back: model v${version} is the champion`);
      return ExitCode.ok;
    }
    throw new NsError('BAD_ARGUMENT', `Unknown models action "${action}".`, { hint: 'Use list, promote <version> or rollback.' });
  },
};
