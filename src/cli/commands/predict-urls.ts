/**
 * `networksecurity predict --urls urls.txt --output out.csv [--no-fetch]`: one URL a line (blank lines
 * and lines starting with # skipped), each checked like `check` (four at a time), written as CSV with
 * the columns url, prediction, phishing_probability, profile, error. A URL that cannot be analysed (bad
 * scheme, not a URL) gets its error in the error column; the exit code is then 3. The output is written
 * to a temporary file and renamed, so a failure leaves no partial file.
 */
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { ExitCode, isNsError, NsError } from '../../core/errors.js';
import { openSource, readAll } from '../../main/sources.js';
import { featureProviders, pageFetcher, profileModelCache } from '../../main/url-check.js';
import type { AppContext } from '../../main/context.js';
import { analyzeUrl } from '../../pipeline/analyze.js';
import { csvCell } from '../../data/csv.js';
import type { CommandIo } from '../command.js';

const CONCURRENCY = 4;
/** More URLs than this in one file is a job for a queue, not one command. */
export const MAX_URLS = 100_000;

export async function predictUrls(context: AppContext, opts: { urls: string; output: string; noFetch: boolean; json: boolean }, io: CommandIo): Promise<number> {
  const text = new TextDecoder().decode(await readAll(await openSource(opts.urls, context.config)));
  const urls = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  if (urls.length === 0) throw new NsError('URLS_EMPTY', `${opts.urls} has no URLs.`, { hint: 'Put one URL a line.' });
  if (urls.length > MAX_URLS) throw new NsError('URLS_TOO_MANY', `${opts.urls} has ${urls.length} URLs; at most ${MAX_URLS} are accepted.`, { kind: 'limit', hint: 'Split the file.' });
  const models = await profileModelCache(context)();
  const fetcher = opts.noFetch ? undefined : pageFetcher(context.config);
  const providers = featureProviders();
  const rows: string[] = new Array<string>(urls.length);
  let next = 0;
  let failed = 0;
  let phishing = 0;
  const worker = async (): Promise<void> => {
    while (next < urls.length) {
      const i = next++;
      const url = urls[i]!;
      try {
        const a = await analyzeUrl({ url, fetch: !opts.noFetch }, { models, providers, ...(fetcher ? { fetcher } : {}) });
        if (a.label === -1) phishing++;
        rows[i] = [csvCell(url), String(a.label), a.phishingProbability.toFixed(6), a.profile.name, ''].join(',');
      } catch (e) {
        if (!isNsError(e)) throw e;
        failed++;
        rows[i] = [csvCell(url), '', '', '', csvCell(`${e.code}: ${e.message}`)].join(',');
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const tmp = `${opts.output}.tmp-${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(tmp, `url,prediction,phishing_probability,profile,error\n${rows.join('\n')}\n`);
    await rename(tmp, opts.output);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new NsError('OUTPUT_WRITE', `Cannot write ${opts.output}: ${(e as Error).message}.`, { cause: e, hint: 'Check that the folder exists and is writable.' });
  }
  const summary = { urls: urls.length, analysed: urls.length - failed, phishing, failed, model: models.version, output: opts.output };
  if (opts.json) io.out(JSON.stringify(summary));
  else io.out(`${summary.analysed} of ${summary.urls} URLs checked with model v${models.version} (${phishing} phishing), ${failed} failed → ${opts.output}`);
  return failed > 0 ? ExitCode.rejectedRows : ExitCode.ok;
}
