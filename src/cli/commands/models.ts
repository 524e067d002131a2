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
import { formatTable } from '../table.js';
import { writeAtomically } from '../../main/outputs.js';

export const modelsCommand: CliCommand = {
  name: 'models',
  summary: 'List model versions, promote one to champion, roll back, or export one to ONNX',
  usage: 'models list [--json] | models promote <version> | models rollback | models export <version> --format onnx --output model.onnx',
  actions: [
    { name: 'list', usage: 'models list [--json]', summary: 'Model versions with F1, run, data snapshot, and which is champion or challenger' },
    { name: 'promote', usage: 'models promote <version>', summary: 'Make <version> the champion (its bundle must load and verify, else MODEL_UNLOADABLE, exit 2)' },
    { name: 'rollback', usage: 'models rollback', summary: 'Make the previous champion the champion again' },
    { name: 'export', usage: 'models export <version> --format onnx --output model.onnx', summary: 'Write <version> as one ONNX graph from raw feature values to label + probabilities (ONNX_UNSUPPORTED for k-NN, SVC, naive Bayes)' },
  ],
  readOnly: (positionals) => ['list', 'export'].includes(positionals[0] ?? 'list'),
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
        io.out(`No model versions yet in ${context.config.NS_STATE_URL ? context.registry.describe() : context.paths.home}. Train one with \`networksecurity train\`.`);
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
