/**
 * One run: the chosen (registered) model and the rule that chose it, the candidate leaderboard in the
 * rule's order (chosen row marked and pre-selected), ROC and PR curves, the picked candidate's
 * hyperparameters, confusion matrix and importances, and the test F1 of each feature profile's model.
 */
import { useEffect, useState } from 'preact/hooks';
import { errorText, getJson } from '../api.js';
import { ChartView } from '../chart.js';
import { seriesStyle } from '../colors.js';
import { titleOf } from '../features.js';
import { ms, num, when } from '../format.js';
import { NoteEditor } from '../note-editor.js';
import { chosenCandidate, chosenRule, f1IntervalText, leaderboard, paramRows } from '../runs-view.js';
import type { Candidate, Curves, ProfileSummary, Run, RunSummary } from '../types.js';

/** How the run's model was registered: its version and the alias it got (older runs registered only champions). */
function registeredText(s: RunSummary): string {
  const r = s.registered;
  if (r) return `Registered as v${r.version}${r.reused ? ' (reused: same snapshot, settings and seed)' : ''}${r.promoted ? ', the champion' : r.challenger ? ', the challenger' : ''}.`;
  return s.champion ? `Registered as v${s.champion.version}.` : 'Not registered.';
}

/** Fetches a run and its curves. */
function useRun(id: string): { run: Run | null; curves: Curves | null; error: string | null } {
  const [run, setRun] = useState<Run | null>(null);
  const [curves, setCurves] = useState<Curves | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setRun(null); setCurves(null); setError(null);
    getJson<Run>(`/api/v1/runs/${encodeURIComponent(id)}`).then(setRun, (e) => setError(errorText(e)));
    getJson<Curves>(`/api/v1/runs/${encodeURIComponent(id)}/reports/curves`).then(setCurves, () => setCurves(null));
  }, [id]);
  return { run, curves, error };
}

export function RunDetail(props: { id: string }) {
  const { run, curves, error } = useRun(props.id);
  const [pick, setPick] = useState<string | null>(null);
  useEffect(() => setPick(null), [props.id]);
  if (error) return <div class="alert error" role="alert">{error}</div>;
  if (!run) return <div class="card"><p role="status">Loading run…</p></div>;
  const s = run.summary;
  const cands = leaderboard(s.candidates);
  const chosen = chosenCandidate(s);
  const picked = cands.find((c) => c.name === pick) ?? chosen ?? cands[0];
  return (
    <div class="card run-detail" data-testid="run-detail">
      <h2>Run <code>{run.id}</code> <span class={`status ${run.status}`}>{run.status}</span></h2>
      <p class="muted">Started {when(run.startedAt)}{run.finishedAt ? `, finished ${when(run.finishedAt)}` : ''}.
        {s.options?.preset ? ` Preset ${s.options.preset}, seed ${s.options.seed ?? '—'}.` : ''}
        {s.validation ? ` Validation: ${s.validation.ok ? 'passed' : 'failed'} (${s.validation.badRowCount} bad rows).` : ''}
        {s.drift ? ` Drift: ${s.drift.datasetDrift ? 'yes' : 'no'} (${(s.drift.driftedShare * 100).toFixed(0)}% of features).` : ''}</p>
      {run.error && <div class="alert error">{run.error.code}: {run.error.message}</div>}
      {chosen && (
        <div class="chosen" data-testid="chosen-model">
          <p><strong>Chosen model: {chosen.name}</strong> — test F1 (phishing) {num(chosen.test?.f1Phishing)}{f1IntervalText(chosen)}, CV F1 {num(chosen.cv?.f1)}. {registeredText(s)}</p>
          <p class="muted small">{chosenRule(s)}{s.gate ? ` Gate: ${s.gate.accepted ? 'accepted' : 'rejected'} — ${s.gate.reason}.` : ''}</p>
        </div>
      )}
      <NoteEditor url={`/api/v1/runs/${encodeURIComponent(run.id)}/note`} label="Note on this run" />
      {s.stages && s.stages.length > 0 && (
        <ol class="stage-strip" aria-label="Stages">
          {s.stages.map((st) => <li key={st.name} class={st.status}><strong>{st.name}</strong><span>{st.status} · {ms(st.durationMs)}</span></li>)}
        </ol>
      )}
      {cands.length > 0 ? (
        <>
          <h3>Leaderboard <span class="muted small">(ordered by CV F1, the rule that chooses)</span></h3>
          <div class="table-wrap">
            <table class="data-table" aria-label={`Candidates of run ${run.id}`} data-testid="leaderboard">
              <thead><tr><th scope="col">#</th><th scope="col">Candidate</th><th scope="col">CV F1</th><th scope="col">Test F1</th><th scope="col">Precision</th><th scope="col">Recall</th><th scope="col">ROC AUC</th><th scope="col">Accuracy</th><th scope="col">Fit time</th></tr></thead>
              <tbody>
                {cands.map((c, i) => (
                  <tr key={c.name} class={c === picked ? 'selected' : undefined} data-chosen={c === chosen ? 'true' : undefined}>
                    <td>{i + 1}</td>
                    <td class="wrap-cell"><button type="button" class="link" aria-pressed={c === picked} title={c.kind} onClick={() => setPick(c.name)}>{c.name}</button>{c === chosen && <> <span class="pill good">chosen</span></>}</td>
                    <td><strong>{num(c.cv?.f1)}</strong></td><td>{num(c.test?.f1Phishing)}</td><td>{num(c.test?.precision)}</td><td>{num(c.test?.recall)}</td>
                    <td>{num(c.test?.rocAuc)}</td><td>{num(c.test?.accuracy)}</td><td>{ms(c.fitMs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div class="grid-2">
            {curves && <CurveCharts curves={curves} chosen={chosen?.name} />}
            {picked && <CandidateDetail c={picked} />}
          </div>
        </>
      ) : <p class="muted">This run has no candidates (yet).</p>}
      {s.profiles && s.profiles.length > 0 && <Profiles profiles={s.profiles} />}
    </div>
  );
}

function CurveCharts({ curves, chosen }: { curves: Curves; chosen?: string }) {
  const names = Object.keys(curves);
  const series = (pick: (n: string) => { x: number[]; y: number[] } | undefined) => names.flatMap((n, i) => {
    const c = pick(n);
    return c ? [{ label: n === chosen ? `${n} (chosen)` : n, data: c.x.map((x, k) => ({ x, y: c.y[k]! })), ...seriesStyle(i), pointRadius: 0, borderWidth: n === chosen ? 3.5 : 1.5 }] : [];
  });
  const roc = series((n) => curves[n]?.roc && { x: curves[n].roc.fpr, y: curves[n].roc.tpr });
  const pr = series((n) => curves[n]?.pr && { x: curves[n].pr.recall, y: curves[n].pr.precision });
  const legend = { position: 'bottom' as const, labels: { boxWidth: 14, boxHeight: 3, font: { size: 11 } } };
  const axes = (x: string, y: string) => ({ x: { type: 'linear' as const, min: 0, max: 1, title: { display: true, text: x } }, y: { min: 0, max: 1, title: { display: true, text: y } } });
  const height = 300 + 18 * Math.ceil(names.length / 3);
  return (
    <div>
      <h3>ROC curves</h3>
      <ChartView label="ROC curves of the candidates" height={height} config={{ type: 'line', data: { datasets: roc }, options: { scales: axes('false positive rate', 'true positive rate'), plugins: { legend } } }} />
      <h3>Precision–recall curves</h3>
      <ChartView label="Precision-recall curves of the candidates" height={height} config={{ type: 'line', data: { datasets: pr }, options: { scales: axes('recall', 'precision'), plugins: { legend } } }} />
    </div>
  );
}

function CandidateDetail({ c }: { c: Candidate }) {
  const m = c.test?.confusion;
  const imp = Object.entries(c.featureImportances ?? {}).sort((a, b) => b[1] - a[1]).slice(0, 12);
  const params = paramRows(c.params);
  return (
    <div>
      <h3>Hyperparameters — {c.name}</h3>
      {params.length > 0 ? (
        <table class="data-table params" aria-label={`Hyperparameters of ${c.name}`} data-testid="hyperparameters">
          <tbody>{params.map(([k, v]) => <tr key={k}><th scope="row">{k}</th><td class="wrap-cell"><code>{v}</code></td></tr>)}</tbody>
        </table>
      ) : <p class="muted">Library defaults (no parameters set).</p>}
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
        <ChartView label={`Feature importances of ${c.name}`} height={300} config={{
          type: 'bar', data: { labels: imp.map(([n]) => titleOf(n)), datasets: [{ label: 'importance', data: imp.map(([, v]) => v), backgroundColor: '#4e79a7' }] },
          options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { title: { display: true, text: 'importance' } }, y: { ticks: { autoSkip: false, font: { size: 11 } } } } },
        }} />
      ) : <p class="muted">This candidate records no importances.</p>}
    </div>
  );
}

/** The model of each feature profile (what a URL check answers with when only some features can be computed). */
function Profiles({ profiles }: { profiles: ProfileSummary[] }) {
  return (
    <>
      <h3>Feature profiles</h3>
      <p class="muted small">A URL check uses the model of the profile whose features it could compute; each is chosen like the main model and scored on the same test rows.</p>
      <div class="table-wrap">
        <table class="data-table" aria-label="Feature profiles" data-testid="profiles">
          <thead><tr><th scope="col">Profile</th><th scope="col">Features</th><th scope="col">Model</th><th scope="col">CV F1</th><th scope="col">Test F1</th></tr></thead>
          <tbody>{profiles.map((p) => <tr key={p.name}><td>{p.name}</td><td>{p.features}</td><td>{p.kind ?? '—'}</td><td>{num(p.cvF1)}</td><td>{num(p.testF1)}</td></tr>)}</tbody>
        </table>
      </div>
    </>
  );
}
