/**
 * `networksecurity predict`: score a CSV with the champion (or --model <version>) and write it back
 * with prediction, phishing_probability and error columns. Streamed: the input is read, scored and
 * written a chunk at a time (pipeline/batch-predict.ts), into a temporary file next to the output
 * that is renamed when the whole file went through; on any failure the temporary file is removed, so
 * a failed run leaves nothing behind. Exit code 3 when some rows were rejected (also when all were).
 */
import { ExitCode } from '../../core/errors.js';
import { describeRowError } from '../../data/records.js';
import { predictCsvStream } from '../../pipeline/batch-predict.js';
import { DEFAULT_REDIS_WAIT_MS, DEFAULT_SHARD_ROWS, predictQueued } from '../../main/batch-queue.js';
import { requireModel } from '../../main/champion.js';
import { refuseFolder, writeOutput } from '../../main/outputs.js';
import { openSource } from '../../main/sources.js';
import type { CliCommand } from '../command.js';
import { bool, num, requireStr, str } from '../flags.js';
import { predictUrls } from './predict-urls.js';

export const predictCommand: CliCommand = {
  name: 'predict',
  summary: 'Score a CSV of website features with the champion model',
  usage: 'predict --input <in.csv|s3://…> --output <out.csv|s3://…> [--model <version>] [--strict] [--queue [--shard-rows N] [--redis-wait S]] [--json]  |  predict --urls <urls.txt> --output <out.csv> [--no-fetch]',
  flags: [
    { name: 'input', type: 'string', value: '<file>', description: 'CSV with the 30 feature columns (a Result column and other columns are passed through); a path or s3://bucket/key' },
    { name: 'output', type: 'string', value: '<file>', description: 'where to write the scored CSV; a path or s3://bucket/key' },
    { name: 'queue', type: 'boolean', description: 'score shards of rows in parallel on `networksecurity worker` processes (needs REDIS_URL); run it again to resume' },
    { name: 'shard-rows', type: 'string', value: '<n>', description: `with --queue: rows per shard (default ${DEFAULT_SHARD_ROWS})` },
    { name: 'redis-wait', type: 'string', value: '<seconds>', description: `with --queue: how long Redis may stay unreachable before the command fails with REDIS_UNAVAILABLE (default ${DEFAULT_REDIS_WAIT_MS / 1000})` },
    { name: 'model', type: 'string', value: '<version>', description: 'model version to use (default: the champion)' },
    { name: 'strict', type: 'boolean', description: 'any bad row fails the whole file (no output written)' },
    { name: 'json', type: 'boolean', description: 'print a JSON summary on stdout' },
    { name: 'urls', type: 'string', value: '<file>', description: 'check URLs instead (one a line): columns url, prediction, phishing_probability, profile, error' },
    { name: 'no-fetch', type: 'boolean', description: 'with --urls: analyse each URL alone, without network access' },
  ],
  async run({ flags, ctx, io }) {
    const urls = str(flags, 'urls');
    if (urls !== undefined) return predictUrls(await ctx(), { urls, output: requireStr(flags, 'output', 'Pass --output <file.csv>.'), noFetch: bool(flags, 'no-fetch'), json: bool(flags, 'json') }, io);
    const input = requireStr(flags, 'input', 'Pass --input <file.csv>.');
    const output = requireStr(flags, 'output', 'Pass --output <file.csv>.');
    const context = await ctx();
    await refuseFolder(output);
    const version = str(flags, 'model') === undefined ? undefined : num(flags, 'model', 1, [1, Number.MAX_SAFE_INTEGER]);
    const t0 = performance.now();
    let result;
    let model: { version: number };
    let queue: { batch: string; shards: number; reused: number } | undefined;
    if (bool(flags, 'queue')) {
      const shardRows = num(flags, 'shard-rows', DEFAULT_SHARD_ROWS, [1, 10_000_000]);
      const redisWaitMs = num(flags, 'redis-wait', DEFAULT_REDIS_WAIT_MS / 1000, [1, 86_400]) * 1000;
      const queued = await predictQueued(context, { input, output, strict: bool(flags, 'strict'), shardRows, redisWaitMs, ...(version !== undefined ? { version } : {}) }, (done, known, split) => {
        io.err(`scored ${done} of ${known}${split ? '' : '+'} shards`);
      }, (line) => io.err(line));
      if (queued.reused > 0) io.err(`resumed: ${queued.reused} of ${queued.shards} shards were scored by an earlier run`);
      result = queued;
      model = { version: queued.model };
      queue = { batch: queued.batch, shards: queued.shards, reused: queued.reused };
    } else {
      const source = await openSource(input, context.config);
      const predictor = await requireModel(context, version);
      model = predictor;
      result = await writeOutput(output, context.config, (write) => predictCsvStream(source, context.schema, predictor, { strict: bool(flags, 'strict') }, write));
    }
    const seconds = (performance.now() - t0) / 1000;
    for (const err of result.firstErrors) io.err(`rejected ${describeRowError(err)}`);
    if (result.rejected > result.firstErrors.length) io.err(`… and ${result.rejected - result.firstErrors.length} more rejected rows (see the error column)`);
    const rowsPerSecond = Math.round(result.rows / Math.max(seconds, 1e-6));
    const summary = { input, output, model: model.version, rows: result.rows, predicted: result.predicted, phishing: result.phishing, rejected: result.rejected, seconds: Math.round(seconds * 1000) / 1000, rowsPerSecond, ...(queue ? { queue } : {}) };
    if (bool(flags, 'json')) io.out(JSON.stringify(summary));
    else io.out(`${result.predicted} of ${result.rows} rows scored with model v${model.version} (${result.phishing} phishing), ${result.rejected} rejected → ${output} (${rowsPerSecond} rows/s)`);
    return result.rejected > 0 ? ExitCode.rejectedRows : ExitCode.ok;
  },
};
