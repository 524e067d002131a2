/**
 * Check a URL (the first page): paste an address, optionally the page's HTML instead of fetching it,
 * or ask for the URL alone. Shows the verdict, the probability, the feature profile whose model judged
 * (with every profile's test F1), what the fetch saw, and every feature: its value, "not checked"
 * where nothing computed it, and its push towards phishing or legitimate.
 */
import { useState } from 'preact/hooks';
import { describeValue, titleOf } from '../features.js';
import { pct } from '../format.js';
import type { Analysis } from '../types.js';
import { usePost } from '../use-post.js';

const profileTitle: Record<string, string> = { all: 'all 30 features', url_page_fetch: 'URL + page + fetch', url: 'URL only' };
const groupTitle: Record<string, string> = { url: 'URL', page: 'Page', fetch: 'Fetch', external: 'Outside services' };

export function CheckUrlPage() {
  const [url, setUrl] = useState('');
  const [html, setHtml] = useState('');
  const [mode, setMode] = useState<'fetch' | 'html' | 'url'>('fetch');
  const post = usePost<Analysis>();
  const { result, error, busy } = post;
  const body = (): unknown => (mode === 'html' ? { url, html } : mode === 'url' ? { url, fetch: false } : { url });

  return (
    <section aria-labelledby="url-title">
      <header class="page-head">
        <h1 id="url-title">Check a URL</h1>
        <p>Paste an address. The page is fetched safely (public addresses only), or give its HTML, or judge the address alone.</p>
      </header>
      <form class="card" onSubmit={(e) => void post.submit(e, '/api/v1/analyze', body())}>
        <div class="field">
          <label for="url-input">URL</label>
          <input id="url-input" type="text" inputMode="url" required placeholder="https://example.com/login" value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
        </div>
        <fieldset>
          <legend>What to analyse</legend>
          <label><input type="radio" name="mode" checked={mode === 'fetch'} onChange={() => setMode('fetch')} /> Fetch the page</label>{' '}
          <label><input type="radio" name="mode" checked={mode === 'html'} onChange={() => setMode('html')} /> Use pasted HTML</label>{' '}
          <label><input type="radio" name="mode" checked={mode === 'url'} onChange={() => setMode('url')} /> The URL alone (no network)</label>
        </fieldset>
        {mode === 'html' && (
          <div class="field">
            <label for="html-input">Page HTML</label>
            <textarea id="html-input" rows={6} value={html} onInput={(e) => setHtml(e.currentTarget.value)} />
          </div>
        )}
        <div class="row"><button type="submit" class="primary" disabled={busy}>{busy ? 'Checking…' : 'Check URL'}</button></div>
      </form>
      <div aria-live="polite">
        {error && <div class="alert error" role="alert">{error}</div>}
        {result && <UrlVerdict a={result} />}
      </div>
    </section>
  );
}

function UrlVerdict({ a }: { a: Analysis }) {
  const phishing = a.label === -1;
  return (
    <div class={`card verdict ${phishing ? 'bad' : 'good'}`} data-testid="url-verdict">
      <div class="verdict-head">
        <span class="badge-big" aria-hidden="true">{phishing ? '!' : '✓'}</span>
        <div>
          <h2>{phishing ? 'Likely phishing' : 'Likely legitimate'}</h2>
          <p>Probability of phishing: <strong data-testid="probability">{pct(a.phishingProbability)}</strong> · model v{a.modelVersion} ({a.modelKind})</p>
          <p data-testid="profile">Judged by the <strong>{profileTitle[a.profile.name] ?? a.profile.name}</strong> model ({a.profile.features} features), test F1 {a.profile.testF1.toFixed(3)}</p>
        </div>
      </div>
      <p class="muted">Test F1 (phishing) of each profile: {a.profiles.map((p) => `${profileTitle[p.name] ?? p.name} ${p.testF1.toFixed(3)}`).join(' · ')}</p>
      {a.fetch && 'error' in a.fetch && <p class="alert" data-testid="fetch-error">Not fetched: {a.fetch.error.message} [{a.fetch.error.code}]</p>}
      {a.fetch && !('error' in a.fetch) && (
        <p data-testid="fetch-info">Fetched {a.fetch.finalUrl} (HTTP {a.fetch.status}) after {a.fetch.redirects} redirect(s){a.fetch.tls ? `, certificate ${a.fetch.tls.trusted ? 'trusted' : 'not trusted'}` : ', no TLS'}{a.fetch.truncated ? ', body cut at the size limit' : ''}.</p>
      )}
      <div class="table-wrap">
        <table class="data-table" aria-label="Features">
          <thead><tr><th>feature</th><th>from</th><th>value</th><th>push</th></tr></thead>
          <tbody>
            {a.features.map((f) => (
              <tr key={f.name} data-feature={f.name}>
                <td>{titleOf(f.name)}</td>
                <td>{groupTitle[f.group]}</td>
                <td>{f.value === null ? <span class="muted">not checked</span> : describeValue(f.name, f.value)}</td>
                <td>{f.push === null ? (f.value !== null && !f.used ? <span class="muted">not used by this profile</span> : '') : (
                  <span class={f.push > 0 ? 'towards-bad' : 'towards-good'}>{f.push > 0 ? '+' : ''}{f.push.toFixed(3)} {f.push > 0 ? 'towards phishing' : 'towards legitimate'}</span>
                )}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
