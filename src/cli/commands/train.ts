/**
 * `networksecurity train`: run the pipeline (ingest → validate → transform → train → evaluate → push)
 * with per-stage progress on stderr and a summary (or --json) on stdout. A run interrupted earlier
 * resumes from its last completed stage; `--from <stage>` re-runs a stage and those after it.
 */
import { ExitCode } from '../../core/errors.js';
import { runPipeline } from '../../pipeline/runner.js';
import { gateSummary } from '../../pipeline/summary.js';
import { STAGES, type PushOutput } from '../../pipeline/types.js';
import { pipelineDeps } from '../../main/pipeline-deps.js';
import type { CliCommand } from '../command.js';
import { bool, str } from '../flags.js';
import { progressPrinter } from '../progress.js';
import { fromStage, pipelineOptions, trainFlags } from './train-options.js';

function pushText(push: PushOutput | undefined): string {
  if (!push || push.version === null) return 'champion unchanged';
  const reused = push.reused ? ' (reused: same snapshot, settings and seed)' : '';
  return push.promoted ? `model v${push.version}${reused} is the champion` : `model v${push.version}${reused} registered${push.challenger ? ' as the challenger' : ''}; champion unchanged`;
}

export const trainCommand: CliCommand = {
  name: 'train',
  summary: 'Run the training pipeline on the record store and push an accepted model',
  usage: 'train [--json] [--from <stage>] [--run <id>] [--fresh] [--preset default|original|quick] [...]',
  flags: [
    { name: 'json', type: 'boolean', description: 'print a JSON summary on stdout' },
    { name: 'from', type: 'string', value: '<stage>', description: `re-run from this stage in the latest (or --run) run: ${STAGES.join(', ')}` },
    { name: 'run', type: 'string', value: '<id>', description: 'the run to resume or re-run (default: the latest)' },
    { name: 'fresh', type: 'boolean', description: 'start a new run even if the last one was interrupted' },
    ...trainFlags,
  ],
  async run({ flags, ctx, io }) {
    const context = await ctx();
    const options = pipelineOptions(flags, context.config.NS_SEED, context.logger);
    const from = fromStage(flags);
    const runId = str(flags, 'run');
    const abort = new AbortController();
    // First Ctrl-C: stop at the next safe point and mark the run interrupted; a second one exits at once.
    const onSignal = (): void => {
      if (abort.signal.aborted) process.exit(130);
      io.err('stopping after the current step (Ctrl-C again to quit at once)…');
      abort.abort();
    };
    process.on('SIGINT', onSignal);
    try {
      const result = await runPipeline(pipelineDeps(context), {
        options, ...(from ? { from } : {}), ...(runId ? { runId } : {}), fresh: bool(flags, 'fresh'),
        listener: progressPrinter(io), signal: abort.signal,
      });
      const { train, evaluate, push, ingest } = result.outputs;
      if (bool(flags, 'json')) {
        io.out(JSON.stringify({
          runId: result.runId, resumedFrom: result.resumedFrom, status: result.record.status,
          data: ingest ? { rows: ingest.rows, newRecords: ingest.newRecords, snapshotSha256: ingest.snapshotSha256, duplicates: ingest.duplicates, split: ingest.split, trainRows: ingest.trainRows, testRows: ingest.testRows } : null,
          candidates: train?.candidates ?? [], best: train?.best ?? null,
          gate: evaluate ? gateSummary(evaluate) : null,
          champion: push?.promoted ? push.version : null,
          registered: push?.version != null ? { version: push.version, promoted: push.promoted, challenger: push.challenger ?? false, reused: push.reused ?? false } : null,
          f1Phishing: evaluate?.candidate.f1Phishing ?? null, f1Legit: evaluate?.candidate.f1Legit ?? null,
        }, null, 2));
      } else {
        for (const c of train?.candidates ?? []) {
          io.out(`${c.name.padEnd(22)} CV F1 ${c.cv.f1.toFixed(4)}  test F1 (phishing) ${c.test.f1Phishing.toFixed(4)}  F1 (Result=1) ${c.test.f1Legit.toFixed(4)}  ROC AUC ${c.test.rocAuc.toFixed(4)}  fit ${(c.fitMs / 1000).toFixed(2)} s`);
        }
        io.out(`run ${result.runId}: best ${train?.best ?? '-'}; ${evaluate?.reason ?? ''}; ${pushText(push)}`);
      }
      return ExitCode.ok;
    } finally {
      process.off('SIGINT', onSignal);
    }
  },
};
