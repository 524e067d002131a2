/**
 * Two or more runs compared: one row per run with its chosen model's metrics (the table fits 1280 px
 * without scrolling), a bar chart of their F1s, and each run's leaderboard in short form.
 */
import { useEffect, useState } from 'preact/hooks';
import { errorText, getJson } from '../api.js';
import { ChartView } from '../chart.js';
import { seriesStyle } from '../colors.js';
import { num, whenShort } from '../format.js';
import { chosenCandidate, leaderboard } from '../runs-view.js';
import type { Run } from '../types.js';

export function RunCompare({ ids }: { ids: string[] }) {
  const [runs, setRuns] = useState<(Run | { id: string; loadError: string })[] | null>(null);
  useEffect(() => {
    setRuns(null);
    void Promise.all(ids.map((id) => getJson<Run>(`/api/v1/runs/${encodeURIComponent(id)}`).catch((e: unknown) => ({ id, loadError: errorText(e) })))).then(setRuns);
  }, [ids.join(',')]);
  if (!runs) return <div class="card"><p role="status">Loading runs…</p></div>;
  const ok = runs.filter((r): r is Run => !('loadError' in r));
  return (
    <>
      {runs.flatMap((r) => ('loadError' in r ? [<div key={r.id} class="alert error" role="alert">{r.id}: {r.loadError}</div>] : []))}
      <div class="card" data-testid="run-compare">
        <h2>Comparing {ok.length} runs</h2>
        <div class="table-wrap">
          <table class="data-table" aria-label="Compared runs" data-testid="compare-table">
            <thead><tr><th scope="col">Run</th><th scope="col">Started</th><th scope="col">Chosen model</th><th scope="col">Test F1</th><th scope="col">CV F1</th><th scope="col">Precision</th><th scope="col">Recall</th><th scope="col">ROC AUC</th><th scope="col">Accuracy</th><th scope="col">Version</th></tr></thead>
            <tbody>
              {ok.map((r) => {
                const c = chosenCandidate(r.summary);
                return (
                  <tr key={r.id}>
                    <td><a href={`#/runs/${encodeURIComponent(r.id)}`}><code>{r.id}</code></a></td><td>{whenShort(r.startedAt)}</td>
                    <td class="wrap-cell">{c?.name ?? '—'}</td><td><strong>{num(c?.test?.f1Phishing)}</strong></td><td>{num(c?.cv?.f1)}</td>
                    <td>{num(c?.test?.precision)}</td><td>{num(c?.test?.recall)}</td><td>{num(c?.test?.rocAuc)}</td><td>{num(c?.test?.accuracy)}</td>
                    <td>{r.summary.registered ? `v${r.summary.registered.version}` : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <ChartView label="Test F1 and CV F1 of each compared run's chosen model" height={240} config={{
          type: 'bar',
          data: {
            labels: ok.map((r) => r.id),
            datasets: [
              { label: 'test F1 (phishing)', data: ok.map((r) => chosenCandidate(r.summary)?.test?.f1Phishing ?? null), ...seriesStyle(0) },
              { label: 'CV F1 (phishing)', data: ok.map((r) => chosenCandidate(r.summary)?.cv?.f1 ?? null), ...seriesStyle(1) },
            ],
          },
          options: { plugins: { legend: { position: 'bottom' } }, scales: { y: { title: { display: true, text: 'F1 (phishing)' } } } },
        }} />
      </div>
      <div class="compare-grid">
        {ok.map((r) => (
          <div class="card" key={r.id} data-testid="compare-leaderboard">
            <h3><code>{r.id}</code></h3>
            <table class="data-table" aria-label={`Candidates of run ${r.id}`}>
              <thead><tr><th scope="col">Candidate</th><th scope="col">CV F1</th><th scope="col">Test F1</th></tr></thead>
              <tbody>{leaderboard(r.summary.candidates).map((c) => (
                <tr key={c.name}><td class="wrap-cell">{c.name}{c.name === r.summary.best && <> <span class="pill good">chosen</span></>}</td><td>{num(c.cv?.f1)}</td><td>{num(c.test?.f1Phishing)}</td></tr>
              ))}</tbody>
            </table>
          </div>
        ))}
      </div>
    </>
  );
}
