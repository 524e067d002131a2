/**
 * `networksecurity etl`: load a labelled CSV (path or s3:// URI) into the record store, once or on a
 * cron schedule. Bad rows go to a reject file with their line and reason; exit code 3 when any.
 */
import { writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { Cron } from 'croner';
import { ExitCode, NsError } from '../../core/errors.js';
import { loadCsvIntoStore, rejectsCsv, type EtlResult } from '../../pipeline/etl.js';
import { openSource } from '../../main/sources.js';
import type { AppContext } from '../../main/context.js';
import type { CliCommand, CommandIo } from '../command.js';
import { bool, oneOf, requireStr, str } from '../flags.js';

async function runOnce(ctx: AppContext, source: string, flags: Record<string, string | boolean | undefined>, io: CommandIo): Promise<EtlResult & { rejectFile: string | null }> {
  const mode = oneOf(flags, 'mode', ['append', 'replace'] as const, 'append');
  const started = Date.now();
  const result = await loadCsvIntoStore(await openSource(source, ctx.config), ctx.schema, ctx.records, {
    mode, strict: bool(flags, 'strict'),
    onProgress: (done, total) => io.isTty && io.err(`\rloading ${done}/${total}`),
  });
  let rejectFile: string | null = null;
  if (result.rejected.length > 0) {
    rejectFile = resolve(str(flags, 'rejects') ?? resolve(ctx.paths.home, 'rejects', `${basename(source).replace(/\.csv$/i, '')}.rejects.csv`));
    const { mkdir } = await import('node:fs/promises');
    await mkdir(resolve(rejectFile, '..'), { recursive: true });
    await writeFile(rejectFile, rejectsCsv(result.rejected));
  }
  ctx.logger.info(`etl ${source} → ${ctx.records.describe()}: ${result.rowsRead} rows read, ${result.inserted} inserted, ${result.skipped} skipped (already stored), ${result.rejected.length} rejected${rejectFile ? ` (see ${rejectFile})` : ''} in ${Date.now() - started} ms`);
  return { ...result, rejectFile };
}

export const etlCommand: CliCommand = {
  name: 'etl',
  summary: 'Load a labelled CSV (path or s3://bucket/key) into the record store',
  usage: 'etl --source <path|s3://bucket/key> [--mode append|replace] [--strict] [--rejects <file>] [--schedule "<cron>"] [--json]',
  flags: [
    { name: 'source', type: 'string', value: '<path|uri>', description: 'CSV to load (local path or s3://bucket/key)' },
    { name: 'mode', type: 'string', value: '<mode>', description: 'append (default: add new rows) or replace (swap all records atomically)' },
    { name: 'strict', type: 'boolean', description: 'any bad row fails the whole load (nothing is written)' },
    { name: 'rejects', type: 'string', value: '<file>', description: 'where to write rejected rows (default .networksecurity/rejects/<name>.rejects.csv)' },
    { name: 'schedule', type: 'string', value: '"<cron>"', description: 'keep running and load on this cron schedule (e.g. "0 2 * * *" daily)' },
    { name: 'json', type: 'boolean', description: 'print a JSON summary on stdout' },
  ],
  async run({ flags, ctx, io }) {
    const source = requireStr(flags, 'source', 'Pass --source data/phisingData.csv or --source s3://bucket/key.csv.');
    const context = await ctx();
    const schedule = str(flags, 'schedule');
    if (schedule) {
      let job: Cron;
      try {
        job = new Cron(schedule, { protect: true }, async () => {
          try {
            await runOnce(context, source, flags, io);
          } catch (e) {
            context.logger.error(e instanceof NsError ? e.toLine() : String(e));
          }
        });
      } catch (e) {
        throw new NsError('BAD_SCHEDULE', `The schedule "${schedule}" is not a valid cron expression (${(e as Error).message}).`, { hint: 'Use five fields, e.g. "0 2 * * *" for 02:00 daily.' });
      }
      context.logger.info(`etl scheduled "${schedule}"; next run ${job.nextRun()?.toISOString() ?? 'never'}; Ctrl-C stops`);
      await new Promise<void>((done) => {
        const stop = (): void => {
          job.stop();
          done();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      return ExitCode.ok;
    }
    const result = await runOnce(context, source, flags, io);
    if (bool(flags, 'json')) {
      io.out(JSON.stringify({ source, target: context.records.describe(), rowsRead: result.rowsRead, inserted: result.inserted, skipped: result.skipped, rejected: result.rejected.length, rejectFile: result.rejectFile, mode: result.mode }));
    }
    return result.rejected.length > 0 ? ExitCode.rejectedRows : ExitCode.ok;
  },
};
