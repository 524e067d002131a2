/**
 * Runs: the list of runs (filter by text and status, sort by start or F1, F1 over time), one run's
 * details (pages/run-detail.tsx), and any number of runs compared (#/runs/<id>?compare=<id>,<id>).
 * A run's "F1" is its chosen model's test F1 — the model it registered — as in `networksecurity runs`.
 */
import { useEffect, useState } from 'preact/hooks';
import { errorText, getJson } from '../api.js';
import { ChartView } from '../chart.js';
import { seriesStyle } from '../colors.js';
import { go, num, when, whenShort } from '../format.js';
import { chosenCandidate, chosenF1, defaultRunFilter, filterRuns, type RunFilter, type RunSortKey } from '../runs-view.js';
import type { Run } from '../types.js';
import { RunCompare } from './run-compare.js';
import { RunDetail } from './run-detail.js';

const statuses = ['all', 'succeeded', 'failed', 'running', 'interrupted', 'stopped'];

export function RunsPage(props: { runId?: string; compareIds?: string[] }) {
  const [runs, setRuns] = useState<Run[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState<RunFilter>(defaultRunFilter);
  const [marked, setMarked] = useState<string[]>([]);
  useEffect(() => {
    getJson<{ runs: Run[] }>('/api/v1/runs?limit=200').then((r) => setRuns(r.runs), (e) => setError(errorText(e)));
  }, [props.runId]);
  const selected = props.runId ?? runs?.find((r) => r.status === 'succeeded')?.id ?? runs?.[0]?.id;
  const comparing = props.compareIds && props.compareIds.length > 0 && selected ? [selected, ...props.compareIds.filter((c) => c !== selected)] : null;
  const shown = runs ? filterRuns(runs, filter) : [];
  const sortBy = (sort: RunSortKey): void => setFilter({ ...filter, sort, descending: filter.sort === sort ? !filter.descending : true });
  const arrow = (k: RunSortKey): string => (filter.sort === k ? (filter.descending ? ' ↓' : ' ↑') : '');
  const ariaSort = (k: RunSortKey): 'ascending' | 'descending' | undefined => (filter.sort === k ? (filter.descending ? 'descending' : 'ascending') : undefined);
  const toggle = (id: string, on: boolean): void => setMarked((m) => (on ? [...m, id] : m.filter((x) => x !== id)));

  return (
    <section aria-labelledby="runs-title">
      <header class="page-head"><h1 id="runs-title">Runs</h1><p>Every pipeline run and the model it chose. Pick a run for its details; tick two or more to compare them.</p></header>
      {error && <div class="alert error" role="alert">{error}</div>}
      {runs && runs.length === 0 && <div class="card"><p>No runs yet. <a href="#/train">Start one</a>.</p></div>}
      {runs && runs.length > 0 && (
        <div class="card">
          <div class="row wrap filters">
            <label>Filter <input type="search" value={filter.text} placeholder="run id or model" onInput={(e) => setFilter({ ...filter, text: e.currentTarget.value })} /></label>
            <label>Status <select value={filter.status} onChange={(e) => setFilter({ ...filter, status: e.currentTarget.value })}>{statuses.map((s) => <option key={s} value={s}>{s}</option>)}</select></label>
            <span class="muted small">{shown.length} of {runs.length} runs</span>
            <button type="button" class="primary small" disabled={marked.length < 2} onClick={() => go(`#/runs/${encodeURIComponent(marked[0]!)}?compare=${marked.slice(1).map(encodeURIComponent).join(',')}`)}>Compare {marked.length >= 2 ? marked.length : ''} runs</button>
          </div>
          <div class="table-wrap short">
            <table class="data-table" aria-label="Runs" data-testid="runs-table">
              <thead><tr>
                <th scope="col"><span class="visually-hidden">Compare</span></th><th scope="col">Run</th><th scope="col">Status</th>
                <th scope="col" aria-sort={ariaSort('started')}><button type="button" class="sort" onClick={() => sortBy('started')}>Started{arrow('started')}</button></th>
                <th scope="col">Chosen model</th>
                <th scope="col" aria-sort={ariaSort('f1')}><button type="button" class="sort" onClick={() => sortBy('f1')}>Test F1{arrow('f1')}</button></th>
                <th scope="col">Version</th><th scope="col">Gate</th>
              </tr></thead>
              <tbody>
                {shown.map((r) => (
                  <tr key={r.id} class={r.id === selected ? 'selected' : undefined}>
                    <td><input type="checkbox" aria-label={`Compare ${r.id}`} checked={marked.includes(r.id)} onChange={(e) => toggle(r.id, e.currentTarget.checked)} /></td>
                    <td><a href={`#/runs/${encodeURIComponent(r.id)}`} aria-current={r.id === selected ? 'true' : undefined}><code>{r.id}</code></a></td>
                    <td><span class={`status ${r.status}`}>{r.status}</span></td>
                    <td>{when(r.startedAt)}</td>
                    <td class="wrap-cell">{r.summary.best ?? '—'}</td>
                    <td>{num(chosenF1(r.summary))}</td>
                    <td>{registeredCell(r)}</td>
                    <td>{r.summary.gate ? (r.summary.gate.accepted ? 'accepted' : 'rejected') : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <F1History runs={runs} />
        </div>
      )}
      {comparing ? <RunCompare ids={comparing} /> : selected && <RunDetail id={selected} />}
      {comparing && <p><button type="button" class="secondary" onClick={() => go(`#/runs/${encodeURIComponent(comparing[0]!)}`)}>Stop comparing</button></p>}
    </section>
  );
}

/** The version a run registered and the alias it got, e.g. "v3 champion". */
function registeredCell(r: Run): string {
  const reg = r.summary.registered;
  if (reg) return `v${reg.version}${reg.promoted ? ' champion' : reg.challenger ? ' challenger' : ''}`;
  return r.summary.champion ? `v${r.summary.champion.version} champion` : '—';
}

/** The chosen model's test and CV F1 of each finished run, oldest first: how the model did over time. */
function F1History({ runs }: { runs: Run[] }) {
  const done = runs.filter((r) => chosenF1(r.summary) !== undefined).sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
  if (done.length < 2) return null;
  const labels = done.map((r) => whenShort(r.startedAt));
  const line = (label: string, i: number, data: (number | null)[]) => ({ label, data, ...seriesStyle(i), pointRadius: 3, borderWidth: 2 });
  return (
    <>
      <h3>F1 of the chosen model, run by run</h3>
      <ChartView label="Test F1 and cross-validation F1 of each run's chosen model over time" height={220} config={{
        type: 'line',
        data: { labels, datasets: [line('test F1 (phishing)', 0, done.map((r) => chosenF1(r.summary) ?? null)), line('CV F1 (phishing)', 1, done.map((r) => chosenCandidate(r.summary)?.cv?.f1 ?? null))] },
        options: { plugins: { legend: { position: 'bottom' } }, scales: { x: { title: { display: true, text: 'run started' } }, y: { title: { display: true, text: 'F1 (phishing)' } } } },
      }} />
    </>
  );
}
