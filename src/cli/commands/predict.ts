/**
 * `networksecurity predict`: score a CSV with the champion (or --model <version>) and write it back
 * with prediction, phishing_probability and error columns. Streamed: the input is read, scored and
 * written a chunk at a time (pipeline/batch-predict.ts), into a temporary file next to the output
 * that is renamed when the whole file went through; on any failure the temporary file is removed, so
 * a failed run leaves nothing behind. Exit code 3 when some rows were rejected (also when all were).
 */
import { open, rename, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { ExitCode, NsError } from '../../core/errors.js';
import { describeRowError } from '../../data/records.js';
import type { BatchPredictSummary } from '../../pipeline/batch-predict.js';
import { predictCsvStream } from '../../pipeline/batch-predict.js';
import { requireModel } from '../../main/champion.js';
import { openSource } from '../../main/sources.js';
import type { CliCommand } from '../command.js';
import { bool, num, requireStr, str } from '../flags.js';
import { predictUrls } from './predict-urls.js';

export const predictCommand: CliCommand = {
  name: 'predict',
  summary: 'Score a CSV of website features with the champion model',
  usage: 'predict --input <in.csv> --output <out.csv> [--model <version>] [--strict] [--json]  |  predict --urls <urls.txt> --output <out.csv> [--no-fetch]',
  flags: [
    { name: 'input', type: 'string', value: '<file>', description: 'CSV with the 30 feature columns (a Result column and other columns are passed through)' },
    { name: 'output', type: 'string', value: '<file>', description: 'where to write the scored CSV' },
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
    const source = await openSource(input, context.config);
    const version = str(flags, 'model') === undefined ? undefined : num(flags, 'model', 1, [1, Number.MAX_SAFE_INTEGER]);
    const model = await requireModel(context, version);
    const t0 = performance.now();
    const result = await writeAtomically(output, (write) => predictCsvStream(source, context.schema, model, { strict: bool(flags, 'strict') }, write));
    const seconds = (performance.now() - t0) / 1000;
    for (const err of result.firstErrors) io.err(`rejected ${describeRowError(err)}`);
    if (result.rejected > result.firstErrors.length) io.err(`… and ${result.rejected - result.firstErrors.length} more rejected rows (see the error column)`);
    const rowsPerSecond = Math.round(result.rows / Math.max(seconds, 1e-6));
    const summary = { input, output, model: model.version, rows: result.rows, predicted: result.predicted, phishing: result.phishing, rejected: result.rejected, seconds: Math.round(seconds * 1000) / 1000, rowsPerSecond };
    if (bool(flags, 'json')) io.out(JSON.stringify(summary));
    else io.out(`${result.predicted} of ${result.rows} rows scored with model v${model.version} (${result.phishing} phishing), ${result.rejected} rejected → ${output} (${rowsPerSecond} rows/s)`);
    return result.rejected > 0 ? ExitCode.rejectedRows : ExitCode.ok;
  },
};

/** An existing folder at the output path is a user error, found before any work. */
async function refuseFolder(output: string): Promise<void> {
  const info = await stat(output).catch(() => undefined);
  if (info?.isDirectory() === true) {
    throw new NsError('OUTPUT_IS_FOLDER', `${output} is a folder.`, { hint: 'Pass the path of the CSV file to write, e.g. --output scored.csv.' });
  }
}

/**
 * Runs `produce` with a writer into a temporary file next to `output` and renames it onto `output`
 * when `produce` succeeds; removes it when anything fails.
 */
export async function writeAtomically<T = BatchPredictSummary>(output: string, produce: (write: (chunk: string | Uint8Array) => Promise<void>) => Promise<T>): Promise<T> {
  const tmp = `${output}.tmp-${randomBytes(4).toString('hex')}`;
  const cannot = (e: unknown): NsError => new NsError('OUTPUT_WRITE', `Cannot write ${output}: ${(e as Error).message}.`, { cause: e, hint: 'Check that the folder exists and is writable.' });
  let fh: FileHandle | undefined;
  try {
    fh = await open(tmp, 'wx').catch((e: unknown) => {
      throw cannot(e);
    });
    const file = fh;
    const result = await produce(async (chunk) => {
      await (typeof chunk === 'string' ? file.write(chunk) : file.write(chunk)).catch((e: unknown) => {
        throw cannot(e);
      });
    });
    await fh.close();
    fh = undefined;
    await rename(tmp, output).catch((e: unknown) => {
      throw cannot(e);
    });
    return result;
  } catch (e) {
    await fh?.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  }
}
