/**
 * `networksecurity predict`: score a CSV with the champion (or --model <version>) and write it back
 * with prediction, phishing_probability and error columns. The output is written to a temporary file
 * and renamed, so a failed run leaves no partial output. Exit code 3 when some rows were rejected.
 */
import { rename, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { ExitCode, NsError } from '../../core/errors.js';
import { describeRowError } from '../../data/records.js';
import { predictCsv } from '../../pipeline/batch-predict.js';
import { requireModel } from '../../main/champion.js';
import { openSource, readAll } from '../../main/sources.js';
import type { CliCommand } from '../command.js';
import { bool, num, requireStr, str } from '../flags.js';
import { predictUrls } from './predict-urls.js';

export const predictCommand: CliCommand = {
  name: 'predict',
  summary: 'Score a CSV of website features with the champion model',
  usage: 'predict --input <in.csv> --output <out.csv> [--model <version>] [--strict] [--json]  |  predict --urls <urls.txt> --output <out.csv> [--no-fetch]',
  flags: [
    { name: 'input', type: 'string', value: '<file>', description: 'CSV with the 30 feature columns (a Result column is allowed)' },
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
    const bytes = await readAll(await openSource(input, context.config));
    const version = str(flags, 'model') === undefined ? undefined : num(flags, 'model', 1, [1, Number.MAX_SAFE_INTEGER]);
    const model = await requireModel(context, version);
    const result = await predictCsv(bytes, context.schema, model, { strict: bool(flags, 'strict') });
    const tmp = `${output}.tmp-${randomBytes(4).toString('hex')}`;
    try {
      await writeFile(tmp, result.csv);
      await rename(tmp, output);
    } catch (e) {
      throw new NsError('OUTPUT_WRITE', `Cannot write ${output}: ${(e as Error).message}.`, { cause: e, hint: 'Check that the folder exists and is writable.' });
    }
    for (const err of result.errors.slice(0, 10)) io.err(`rejected ${describeRowError(err)}`);
    if (result.errors.length > 10) io.err(`… and ${result.errors.length - 10} more rejected rows (see the error column)`);
    const summary = { input, output, model: model.version, rows: result.rows, predicted: result.predicted, phishing: result.phishing, rejected: result.errors.length };
    if (bool(flags, 'json')) io.out(JSON.stringify(summary));
    else io.out(`${result.predicted} of ${result.rows} rows scored with model v${model.version} (${result.phishing} phishing), ${result.errors.length} rejected → ${output}`);
    return result.errors.length > 0 ? ExitCode.rejectedRows : ExitCode.ok;
  },
};
