/**
 * `networksecurity tracking replay <run>`: sends a pipeline run's tracking record to the MLflow server
 * (what it lacks only, so nothing is duplicated) — for runs that were marked "not sent" while the
 * server was down.
 */
import { ExitCode, NsError } from '../../core/errors.js';
import type { CliCommand } from '../command.js';

export const trackingCommand: CliCommand = {
  name: 'tracking',
  summary: 'Replay a run to the MLflow tracking server',
  usage: 'tracking replay <run-id>',
  actions: [{ name: 'replay', usage: 'tracking replay <run-id>', summary: 'Send a run that the MLflow server missed (it was down) without duplicates' }],
  flags: [],
  async run({ positionals, ctx, io }) {
    const [action, runId] = positionals;
    if (action !== 'replay' || !runId) throw new NsError('BAD_ARGUMENT', 'Usage: networksecurity tracking replay <run-id>.', { hint: 'Find run ids with `networksecurity runs`.' });
    const context = await ctx();
    if (!context.replayTracking) {
      throw new NsError('MLFLOW_NOT_CONFIGURED', 'No MLflow tracking server is configured.', { kind: 'config', hint: 'Set MLFLOW_TRACKING_URI to the server to replay to.' });
    }
    const r = await context.replayTracking(runId);
    io.out(`run ${runId} → MLflow run ${r.remoteRunId} (${r.created ? 'created' : 'already there'}): sent ${r.params} params, ${r.metrics} metrics, ${r.artifacts} artifacts, ${r.children} child runs`);
    return ExitCode.ok;
  },
};
