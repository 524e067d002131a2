/**
 * `networksecurity check <url>`: the verdict on one address with its evidence. By default the page is
 * fetched safely (public addresses only, see src/adapters/web-fetch); `--html page.html` analyses a
 * saved page instead, `--no-fetch` the URL alone, with no network access at all.
 */
import { NsError } from '../../core/errors.js';
import { analyzeUrl, type Analysis } from '../../pipeline/analyze.js';
import { openSource, readAll } from '../../main/sources.js';
import { featureProviders, pageFetcher, profileModelCache } from '../../main/url-check.js';
import type { CliCommand } from '../command.js';
import { bool, str } from '../flags.js';

const show = (v: -1 | 0 | 1 | null): string => (v === null ? 'not checked' : String(v));

export function formatAnalysis(a: Analysis): string[] {
  const lines = [
    `${a.url}: ${a.prediction.toUpperCase()} (phishing probability ${a.phishingProbability.toFixed(3)})`,
    `model v${a.modelVersion} ${a.modelKind}, profile ${a.profile.name} (${a.profile.features} features, test F1 ${a.profile.testF1.toFixed(3)})`,
  ];
  if (a.fetch && 'error' in a.fetch) lines.push(`fetch: not done — ${a.fetch.error.code}: ${a.fetch.error.message}`);
  else if (a.fetch) lines.push(`fetch: ${a.fetch.status} ${a.fetch.finalUrl} after ${a.fetch.redirects} redirect(s)${a.fetch.tls ? `, TLS ${a.fetch.tls.trusted ? 'trusted' : 'untrusted'}` : ''}${a.fetch.truncated ? ', body cut at the byte cap' : ''}`);
  for (const f of a.features) {
    const push = f.push === null ? (f.used ? '' : f.value === null ? '' : '  (not used by this profile)') : `  push ${f.push >= 0 ? '+' : ''}${f.push.toFixed(3)} ${f.push >= 0 ? 'towards phishing' : 'towards legitimate'}`;
    lines.push(`  ${f.name.padEnd(28)} ${f.group.padEnd(8)} ${show(f.value).padEnd(11)}${push}`);
  }
  return lines;
}

export const checkCommand: CliCommand = {
  name: 'check',
  summary: 'Check one URL: fetch it safely (or read --html), extract the features, give a verdict and why',
  usage: 'check <url> [--html page.html] [--no-fetch] [--json]',
  flags: [
    { name: 'html', type: 'string', value: '<file>', description: 'analyse this saved page instead of fetching' },
    { name: 'no-fetch', type: 'boolean', description: 'analyse the URL alone, without any network access' },
    { name: 'json', type: 'boolean', description: 'print the analysis as JSON' },
  ],
  async run({ flags, positionals, ctx, io }) {
    const url = positionals[0];
    if (url === undefined || positionals.length > 1) throw new NsError('USAGE', 'Give exactly one URL.', { hint: 'networksecurity check https://example.com/login' });
    const htmlPath = str(flags, 'html');
    const noFetch = bool(flags, 'no-fetch');
    const context = await ctx();
    const html = htmlPath === undefined ? undefined : new TextDecoder().decode(await readAll(await openSource(htmlPath, context.config)));
    const models = await profileModelCache(context)();
    const analysis = await analyzeUrl({ url, ...(html !== undefined ? { html } : {}), fetch: !noFetch }, {
      models, providers: featureProviders(), ...(noFetch || html !== undefined ? {} : { fetcher: pageFetcher(context.config) }),
    });
    if (bool(flags, 'json')) io.out(JSON.stringify(analysis, null, 2));
    else for (const l of formatAnalysis(analysis)) io.out(l);
    return 0;
  },
};
