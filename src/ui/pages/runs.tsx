/**
 * Runs: the list of runs; one run's candidate leaderboard (F1, precision, recall, ROC AUC, fit time),
 * ROC and PR curves, the confusion matrix and feature importances of a chosen candidate; and two runs
 * side by side (#/runs/<id>?compare=<other>).
 */
import { useEffect, useState } from 'preact/hooks';
import { errorText, getJson } from '../api.js';
import { ChartView, palette } from '../chart.js';
import { titleOf } from '../features.js';
import { go, ms, num, when } from '../format.js';
import type { Candidate, Curves, Run, RunSummary } from '../types.js';

const bestF1 = (r: Run): number | undefined => {
  const c = r.summary.candidates ?? [];
  return c.length ? Math.max(...c.map((x) => x.test?.f1Phishing ?? x.cv?.f1 ?? 0)) : undefined;
};
const ranked = (cands: Candidate[] = []): Candidate[] => [...cands].sort((a, b) => (b.test?.f1Phishing ?? b.cv?.f1 ?? 0) - (a.test?.f1Phishing ?? a.cv?.f1 ?? 0));

/** How the run's model was registered: its version and the alias it got (older runs registered only champions). */
function registeredText(s: RunSummary): string {
  const r = s.registered;
  if (r) return ` Registered as v${r.version}${r.reused ? ' (reused: same snapshot, settings and seed)' : ''}${r.promoted ? ', the champion' : r.challenger ? ', the challenger' : ''}.`;
  return s.champion ? ` Registered as v${s.champion.version}.` : '';
}

export function RunsPage(props: { runId?: string; compareId?: string }) {
  const [runs, setRuns] = useState<Run[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    getJson<{ runs: Run[] }>('/api/v1/runs?limit=100').then((r) => setRuns(r.runs), (e) => setError(errorText(e)));
  }, [props.runId]);
  const selected = props.runId ?? runs?.find((r) => r.status === 'succeeded')?.id ?? runs?.[0]?.id;

  return (
    <section aria-labelledby="runs-title">
      <header class="page-head"><h1 id="runs-title">Runs</h1><p>Every pipeline run with its candidates. Pick a run; pick a second one to compare.</p></header>
      {error && <div class="alert error" role="alert">{error}</div>}
      {runs && runs.length === 0 && <div class="card"><p>No runs yet. <a href="#/train">Start one</a>.</p></div>}
      {runs && runs.length > 0 && (
        <div class="card">
          <div class="table-wrap short">
            <table class="data-table" aria-label="Runs" data-testid="runs-table">
              <thead><tr><th scope="col">Run</th><th scope="col">Status</th><th scope="col">Started</th><th scope="col">Best F1</th><th scope="col">Champion</th><th scope="col">Gate</th><th scope="col">Compare</th></tr></thead>
              <tbody>
                {runs.map((r) => (
                  <tr key={r.id} class={r.id === selected ? 'selected' : undefined}>
                    <td><a href={`#/runs/${encodeURIComponent(r.id)}`} aria-current={r.id === selected ? 'true' : undefined}><code>{r.id}</code></a></td>
                    <td><span class={`status ${r.status}`}>{r.status}</span></td>
                    <td>{when(r.startedAt)}</td>
                    <td>{num(bestF1(r))}</td>
                    <td>{r.summary.champion ? `v${r.summary.champion.version} ${r.summary.champion.kind}` : '—'}</td>
                    <td>{r.summary.gate ? (r.summary.gate.accepted ? 'accepted' : 'rejected') : '—'}</td>
                    <td>{selected && r.id !== selected ? <a href={`#/runs/${encodeURIComponent(selected)}?compare=${encodeURIComponent(r.id)}`}>compare with selected</a> : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
      {selected && (props.compareId
        ? <div class="side-by-side"><RunDetail id={selected} compact /><RunDetail id={props.compareId} compact /></div>
        : <RunDetail id={selected} />)}
      {props.compareId && selected && <p><button type="button" class="secondary" onClick={() => go(`#/runs/${encodeURIComponent(selected)}`)}>Stop comparing</button></p>}
    </section>
  );
}

function RunDetail(props: { id: string; compact?: boolean }) {
  const [run, setRun] = useState<Run | null>(null);
  const [curves, setCurves] = useState<Curves | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pick, setPick] = useState<string | null>(null);
  useEffect(() => {
    setRun(null); setCurves(null); setError(null); setPick(null);
    getJson<Run>(`/api/v1/runs/${encodeURIComponent(props.id)}`).then(setRun, (e) => setError(errorText(e)));
    getJson<Curves>(`/api/v1/runs/${encodeURIComponent(props.id)}/reports/curves`).then(setCurves, () => setCurves(null));
  }, [props.id]);
  if (error) return <div class="alert error" role="alert">{error}</div>;
  if (!run) return <div class="card"><p role="status">Loading run…</p></div>;
  const cands = ranked(run.summary.candidates);
  const chosen = cands.find((c) => c.name === pick) ?? cands[0];
  const s = run.summary;
  return (
    <div class="card run-detail" data-testid="run-detail">
      <h2>Run <code>{run.id}</code> <span class={`status ${run.status}`}>{run.status}</span></h2>
      <p class="muted">Started {when(run.startedAt)}{run.finishedAt ? `, finished ${when(run.finishedAt)}` : ''}.
        {s.gate ? ` Gate: ${s.gate.accepted ? 'accepted' : 'rejected'} — ${s.gate.reason}.` : ''}
        {registeredText(s)}
        {s.validation ? ` Validation: ${s.validation.ok ? 'passed' : 'failed'} (${s.validation.badRowCount} bad rows).` : ''}
        {s.drift ? ` Drift: ${s.drift.datasetDrift ? 'yes' : 'no'} (${(s.drift.driftedShare * 100).toFixed(0)}% of features).` : ''}</p>
      {run.error && <div class="alert error">{run.error.code}: {run.error.message}</div>}
      {s.stages && s.stages.length > 0 && (
        <ol class="stage-strip" aria-label="Stages">
          {s.stages.map((st) => <li key={st.name} class={st.status}><strong>{st.name}</strong><span>{st.status} · {ms(st.durationMs)}</span></li>)}
        </ol>
      )}
      {cands.length > 0 ? (
        <>
          <h3>Leaderboard</h3>
          <div class="table-wrap">
            <table class="data-table" aria-label={`Candidates of run ${run.id}`} data-testid="leaderboard">
              <thead><tr><th scope="col">#</th><th scope="col">Candidate</th><th scope="col">F1 (phishing)</th><th scope="col">CV F1</th><th scope="col">Precision</th><th scope="col">Recall</th><th scope="col">ROC AUC</th><th scope="col">Accuracy</th><th scope="col">Fit time</th></tr></thead>
              <tbody>
                {cands.map((c, i) => (
                  <tr key={c.name} class={c === chosen ? 'selected' : undefined}>
                    <td>{i + 1}</td>
                    <td><button type="button" class="link" aria-pressed={c === chosen} title={c.kind} onClick={() => setPick(c.name)}>{c.name}</button></td>
                    <td><strong>{num(c.test?.f1Phishing)}</strong></td><td>{num(c.cv?.f1)}</td><td>{num(c.test?.precision)}</td><td>{num(c.test?.recall)}</td>
                    <td>{num(c.test?.rocAuc)}</td><td>{num(c.test?.accuracy)}</td><td>{ms(c.fitMs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div class={props.compact ? 'grid-1' : 'grid-2'}>
            {curves && <CurveCharts curves={curves} />}
            {chosen && <CandidateDetail c={chosen} compact={props.compact} />}
          </div>
        </>
      ) : <p class="muted">This run has no candidates (yet).</p>}
    </div>
  );
}

function CurveCharts({ curves }: { curves: Curves }) {
  const names = Object.keys(curves);
  const roc = names.filter((n) => curves[n]?.roc).map((n, i) => ({ label: n, data: curves[n]!.roc!.fpr.map((x, k) => ({ x, y: curves[n]!.roc!.tpr[k]! })), borderColor: palette[i % palette.length], pointRadius: 0, borderWidth: 2 }));
  const pr = names.filter((n) => curves[n]?.pr).map((n, i) => ({ label: n, data: curves[n]!.pr!.recall.map((x, k) => ({ x, y: curves[n]!.pr!.precision[k]! })), borderColor: palette[i % palette.length], pointRadius: 0, borderWidth: 2 }));
  const legend = { position: 'bottom' as const, labels: { boxWidth: 12, boxHeight: 2, font: { size: 11 } } };
  const axes = (x: string, y: string) => ({ x: { type: 'linear' as const, min: 0, max: 1, title: { display: true, text: x } }, y: { min: 0, max: 1, title: { display: true, text: y } } });
  return (
    <div>
      <h3>ROC curves</h3>
      <ChartView label="ROC curves of the candidates" height={300} config={{ type: 'line', data: { datasets: roc }, options: { scales: axes('false positive rate', 'true positive rate'), plugins: { legend } } }} />
      <h3>Precision–recall curves</h3>
      <ChartView label="Precision-recall curves of the candidates" height={300} config={{ type: 'line', data: { datasets: pr }, options: { scales: axes('recall', 'precision'), plugins: { legend } } }} />
    </div>
  );
}

function CandidateDetail({ c, compact }: { c: Candidate; compact?: boolean }) {
  const m = c.test?.confusion;
  const imp = Object.entries(c.featureImportances ?? {}).sort((a, b) => b[1] - a[1]).slice(0, compact ? 8 : 12);
  return (
    <div>
      <h3>Confusion matrix — {c.name}</h3>
      {m && m.length === 2 ? (
        <table class="confusion" aria-label={`Confusion matrix of ${c.name}`}>
          <thead><tr><td /><th scope="col">predicted legitimate</th><th scope="col">predicted phishing</th></tr></thead>
          <tbody>
            <tr><th scope="row">actually legitimate</th><td class="ok">{m[0]![0]}</td><td class="miss">{m[0]![1]}</td></tr>
            <tr><th scope="row">actually phishing</th><td class="miss">{m[1]![0]}</td><td class="ok">{m[1]![1]}</td></tr>
          </tbody>
        </table>
      ) : <p class="muted">No confusion matrix recorded.</p>}
      <h3>Feature importances</h3>
      {imp.length > 0 ? (
        <ChartView label={`Feature importances of ${c.name}`} height={compact ? 220 : 300} config={{
          type: 'bar', data: { labels: imp.map(([n]) => titleOf(n)), datasets: [{ label: 'importance', data: imp.map(([, v]) => v), backgroundColor: '#2563eb' }] },
          options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { y: { ticks: { autoSkip: false, font: { size: 11 } } } } },
        }} />
      ) : <p class="muted">This candidate records no importances.</p>}
    </div>
  );
}
