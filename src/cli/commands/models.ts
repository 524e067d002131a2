/**
 * `networksecurity models list|promote <version>|rollback|export <version>`: the registry's versions with
 * their metrics and lineage, moves of the `champion` alias (compare-and-set: a concurrent move makes the
 * command fail with ALIAS_CONFLICT instead of overwriting it), and a version exported to ONNX.
 */
import { ExitCode, NsError } from '../../core/errors.js';
import { promoteVersion, rollbackChampion } from '../../pipeline/tracking-hooks.js';
import { requireLoadable, requireModel } from '../../main/champion.js';
import { exportOnnx } from '../../ml/onnx/export.js';
import { PHISHING } from '../../pipeline/predictor.js';
import type { CliCommand } from '../command.js';
import { bool, oneOf, requireStr } from '../flags.js';
import { writeAtomically } from './predict.js';

export const modelsCommand: CliCommand = {
  name: 'models',
  summary: 'List model versions, promote one to champion, roll back, or export one to ONNX',
  usage: 'models list [--json] | models promote <version> | models rollback | models export <version> --format onnx --output model.onnx',
  flags: [
    { name: 'json', type: 'boolean', description: 'print JSON (list)' },
    { name: 'format', type: 'string', value: 'onnx', description: 'export format (export; onnx, the default)' },
    { name: 'output', type: 'string', value: '<file>', description: 'file to write (export)' },
  ],
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
        io.out('No model versions yet. Train one with `networksecurity train`.');
        return ExitCode.ok;
      }
      io.out(`${'version'.padEnd(8)} ${'kind'.padEnd(24)} ${'F1'.padEnd(7)} ${'run'.padEnd(30)} ${'snapshot'.padEnd(13)} created`);
      for (const v of versions) {
        const f1 = v.metrics['f1Phishing'];
        io.out(`${`v${v.version}`.padEnd(8)} ${v.modelKind.padEnd(24)} ${(f1 === undefined ? '-' : f1.toFixed(4)).padEnd(7)} ${v.runId.padEnd(30)} ${v.snapshotSha256.slice(0, 12).padEnd(13)} ${v.createdAt}${champion?.version === v.version ? '  ← champion' : challenger?.version === v.version ? '  ← challenger' : ''}`);
      }
      return ExitCode.ok;
    }
    if (action === 'export') {
      const version = Number(arg);
      if (!Number.isInteger(version) || version < 1) throw new NsError('BAD_ARGUMENT', `"${arg ?? ''}" is not a model version.`, { hint: 'Usage: networksecurity models export <version> --format onnx --output model.onnx.' });
      oneOf(flags, 'format', ['onnx'], 'onnx');
      const output = requireStr(flags, 'output', 'Pass the file to write, e.g. --output model.onnx.');
      const model = await requireModel(context, version);
      const bytes = exportOnnx(model.bundle, { version, phishingClass: PHISHING });
      await writeAtomically(output, (write) => write(bytes));
      io.out(`wrote ${output}: model v${version} (${model.kind}) as ONNX, ${bytes.length} bytes; input "features" (${model.featureNames.length} doubles), outputs "label" and "probabilities"`);
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
    throw new NsError('BAD_ARGUMENT', `Unknown models action "${action}".`, { hint: 'Use list, promote <version>, rollback or export <version>.' });
  },
};
