/**
 * `networksecurity up`: the main job on the embedded defaults — load the bundled data when the record
 * store is empty, train when there is no champion, then serve the UI and API.
 */
import { ExitCode } from '../../core/errors.js';
import { loadCsvIntoStore } from '../../pipeline/etl.js';
import { bundledDataPath } from '../../main/package-root.js';
import { runTraining } from '../../main/jobs.js';
import { openSource } from '../../main/sources.js';
import type { CliCommand } from '../command.js';
import { progressPrinter } from '../progress.js';
import { serve, serveFlags } from './serve.js';
import { pipelineOptions } from './train-options.js';

export const upCommand: CliCommand = {
  name: 'up',
  summary: 'Load the bundled data if needed, train if there is no champion, then serve',
  usage: 'up [--host <host>] [--port <port>] [--pretty]',
  flags: serveFlags,
  async run({ flags, ctx, io }) {
    const context = await ctx();
    if ((await context.records.count()) === 0) {
      const r = await loadCsvIntoStore(await openSource(bundledDataPath, context.config), context.schema, context.records, { mode: 'append', strict: false });
      io.err(`loaded the bundled data set: ${r.inserted} records into ${context.records.describe()}`);
    }
    if (!(await context.registry.getAlias('champion'))) {
      io.err('no champion yet: training on the record store…');
      const result = await runTraining(context, { options: pipelineOptions({}, context.config.NS_SEED, context.logger), listener: progressPrinter(io) });
      io.err(`run ${result.runId}: ${result.outputs.evaluate?.reason ?? ''}`);
    }
    const code = await serve(context, flags, io);
    return code === ExitCode.ok ? ExitCode.ok : code;
  },
};
