/**
 * The browser app: a sidebar of pages and a hash router (#/url, #/check, #/batch, #/train, #/runs/<id>,
 * #/data, #/models), so the server only serves static files. Built with Vite, rendered by Preact.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { setTokenPrompt } from './api.js';
import { TokenDialog } from './dialogs.js';
import { BatchPage } from './pages/batch.js';
import { CheckPage } from './pages/check.js';
import { CheckUrlPage } from './pages/check-url.js';
import { DataPage } from './pages/data.js';
import { JobsPage } from './pages/jobs.js';
import { ModelsPage } from './pages/models.js';
import { RunsPage } from './pages/runs.js';
import { TrainPage } from './pages/train.js';
import './styles.css';

// Icons as inline SVG paths (24x24), so they render without an emoji font.
const icons = {
  check: 'M10 2a8 8 0 015.3 14l5.4 5.3-1.4 1.4-5.3-5.4A8 8 0 1110 2zm0 2a6 6 0 100 12 6 6 0 000-12z',
  batch: 'M6 2h9l5 5v15H6zM14 3.5V8h4.5M9 12h8v1.5H9zm0 4h8v1.5H9z',
  train: 'M7 4l13 8-13 8z',
  runs: 'M4 20V10h3v10zm6.5 0V4h3v16zM17 20v-7h3v7z',
  data: 'M12 3c4.4 0 8 1.3 8 3v12c0 1.7-3.6 3-8 3s-8-1.3-8-3V6c0-1.7 3.6-3 8-3zm0 2C8 5 6 6 6 6.5S8 8 12 8s6-1 6-1.5S16 5 12 5zm-6 4v3c0 .5 2 1.5 6 1.5s6-1 6-1.5V9c-1.5.7-3.6 1-6 1s-4.5-.3-6-1zm0 5.5v3c0 .5 2 1.5 6 1.5s6-1 6-1.5v-3c-1.5.7-3.6 1-6 1s-4.5-.3-6-1z',
  models: 'M3 3h8l10 10-8 8L3 11zm4.5 2.5a2 2 0 100 4 2 2 0 000-4z',
  shield: 'M12 2l8 3v6c0 5-3.4 9.4-8 11-4.6-1.6-8-6-8-11V5zm-1 12.6l6-6-1.4-1.4-4.6 4.6-2.1-2.1L7.5 11z',
};

const Icon = ({ d, size = 18 }: { d: string; size?: number }) => (
  <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" fill-rule="evenodd" d={d} /></svg>
);

const pages = [
  { path: 'url', title: 'Check a URL', icon: icons.shield },
  { path: 'check', title: 'Check by features', icon: icons.check },
  { path: 'batch', title: 'Batch', icon: icons.batch },
  { path: 'train', title: 'Train', icon: icons.train },
  { path: 'runs', title: 'Runs', icon: icons.runs },
  { path: 'data', title: 'Data', icon: icons.data },
  { path: 'models', title: 'Models', icon: icons.models },
  { path: 'jobs', title: 'Jobs', icon: icons.batch },
] as const;

function parseHash(): { page: string; parts: string[]; query: URLSearchParams } {
  const [path = '', q = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { page: parts[0] ?? 'url', parts: parts.slice(1), query: new URLSearchParams(q) };
}

function App() {
  const [route, setRoute] = useState(parseHash());
  const [tokenRequest, setTokenRequest] = useState<{ message: string; resolve: (t: string | null) => void } | null>(null);
  useEffect(() => {
    const on = (): void => setRoute(parseHash());
    addEventListener('hashchange', on);
    setTokenPrompt((message) => new Promise((resolve) => setTokenRequest({ message, resolve: (t) => { setTokenRequest(null); resolve(t); } })));
    return () => removeEventListener('hashchange', on);
  }, []);
  const current = pages.find((p) => p.path === route.page) ?? pages[0];
  useEffect(() => {
    document.title = `${current.title} · networksecurity`;
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [current.path]);
  return (
    <div class="shell">
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>Skip to content</a>
      <nav class="sidebar" aria-label="Pages">
        <div class="brand"><span class="logo"><Icon d={icons.shield} size={30} /></span><div><strong>networksecurity</strong><small>phishing site detector</small></div></div>
        <ul>
          {pages.map((p) => (
            <li key={p.path}>
              <a href={`#/${p.path}`} aria-current={p.path === current.path ? 'page' : undefined}><span class="icon"><Icon d={p.icon} /></span>{p.title}</a>
            </li>
          ))}
        </ul>
        <div class="foot"><a href="/api/docs">API docs</a> · <a href="/metrics">metrics</a></div>
      </nav>
      <main id="main" tabIndex={-1}>
        {current.path === 'url' && <CheckUrlPage />}
        {current.path === 'check' && <CheckPage />}
        {current.path === 'batch' && <BatchPage />}
        {current.path === 'train' && <TrainPage />}
        {current.path === 'runs' && <RunsPage runId={route.parts[0]} compareIds={route.query.get('compare')?.split(',').filter(Boolean)} />}
        {current.path === 'data' && <DataPage />}
        {current.path === 'models' && <ModelsPage />}
        {current.path === 'jobs' && <JobsPage />}
      </main>
      <TokenDialog request={tokenRequest} />
    </div>
  );
}

render(<App />, document.getElementById('app')!);
