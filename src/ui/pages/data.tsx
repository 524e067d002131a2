/**
 * Data: the newest schema-validation result, drift per feature (test, p-value, PSI; baseline vs
 * current distribution as bars) and the feature-store snapshot history. Report shapes are read
 * tolerantly: whatever parts a report has are shown.
 */
import { useEffect, useState } from 'preact/hooks';
import { getJson } from '../api.js';
import { ChartView } from '../chart.js';
import { titleOf } from '../features.js';
import { num, short, when } from '../format.js';
import type { Snapshot } from '../types.js';

type Obj = Record<string, unknown>;
interface DriftRow { feature: string; ksP?: number; chi2P?: number; psi?: number; drifted?: boolean; baseline?: Record<string, number>; current?: Record<string, number> }

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const numOf = (...vs: unknown[]): number | undefined => vs.find((v): v is number => typeof v === 'number');
const dist = (v: unknown): Record<string, number> | undefined => {
  if (isObj(v)) return Object.fromEntries(Object.entries(v).filter((e): e is [string, number] => typeof e[1] === 'number'));
  if (Array.isArray(v) && v.length === 3) return { '-1': Number(v[0]), '0': Number(v[1]), '1': Number(v[2]) };
  return undefined;
};

/** Drift rows from a report with `features` as an object by name or a list. */
export function driftRows(report: unknown): DriftRow[] {
  if (!isObj(report)) return [];
  const f = report.features ?? report.perFeature ?? report.columns;
  const entries: [string, Obj][] = Array.isArray(f)
    ? f.filter(isObj).map((x) => [[x.feature, x.name, x.column].find((n): n is string => typeof n === 'string') ?? '?', x])
    : isObj(f) ? Object.entries(f).filter((e): e is [string, Obj] => isObj(e[1])) : [];
  return entries.map(([feature, x]) => ({
    feature,
    ksP: numOf(x.ksPValue, x.ks_p_value, x.test === 'ks' ? x.pValue : undefined),
    chi2P: numOf(x.chi2PValue, x.chi2_p_value, x.test === 'chi2' ? x.pValue : undefined),
    psi: numOf(x.psi, x.PSI),
    drifted: typeof x.drifted === 'boolean' ? x.drifted : typeof x.drift === 'boolean' ? x.drift : undefined,
    baseline: dist(x.baseline ?? x.reference ?? x.expected),
    current: dist(x.current ?? x.actual),
  }));
}

const pval = (p: number | undefined): string => (p === undefined ? '—' : p < 0.001 ? '< 0.001' : num(p));

/** Bin labels of both distributions: numbers in order, then the rest (e.g. "missing"), empty bins dropped. */
function bins(r: DriftRow): string[] {
  const keys = [...new Set([...Object.keys(r.baseline ?? {}), ...Object.keys(r.current ?? {})])].filter((k) => (r.baseline?.[k] ?? 0) > 0 || (r.current?.[k] ?? 0) > 0);
  const n = (k: string): number => (Number.isNaN(Number(k)) ? Infinity : Number(k));
  return keys.sort((a, b) => n(a) - n(b) || a.localeCompare(b));
}

export function DataPage() {
  const [validation, setValidation] = useState<{ runId: string; report: Obj } | null | undefined>(undefined);
  const [drift, setDrift] = useState<{ runId: string; report: Obj } | null | undefined>(undefined);
  const [snapshots, setSnapshots] = useState<Snapshot[] | null>(null);
  const [focus, setFocus] = useState<string | null>(null);
  useEffect(() => {
    getJson<{ runId: string; report: Obj }>('/api/v1/reports/validation/latest').then(setValidation, () => setValidation(null));
    getJson<{ runId: string; report: Obj }>('/api/v1/reports/drift/latest').then(setDrift, () => setDrift(null));
    getJson<{ snapshots: Snapshot[] }>('/api/v1/snapshots').then((s) => setSnapshots(s.snapshots), () => setSnapshots([]));
  }, []);
  const minP = (r: DriftRow): number => Math.min(r.ksP ?? 1, r.chi2P ?? 1);
  const rows = drift ? driftRows(drift.report).sort((a, b) => Number(b.drifted ?? false) - Number(a.drifted ?? false) || minP(a) - minP(b)) : [];
  const shown = rows.find((r) => r.feature === focus) ?? rows[0];

  return (
    <section aria-labelledby="data-title">
      <header class="page-head"><h1 id="data-title">Data</h1><p>Does the newest data still look like what the model was trained on? Schema validation, drift per feature and the snapshots of the feature store.</p></header>
      <div class="grid-2">
        <div class="card">
          <h2>Schema validation</h2>
          {validation === undefined ? <p role="status">Loading…</p> : validation === null ? <p class="muted">No validation report yet.</p> : <Validation v={validation} />}
        </div>
        <div class="card">
          <h2>Drift summary</h2>
          {drift === undefined ? <p role="status">Loading…</p> : drift === null ? <p class="muted">No drift report yet.</p> : (
            <div class="stats">
              <span class={`pill ${drift.report.datasetDrift ? 'bad' : 'good'}`}>{drift.report.datasetDrift ? 'Dataset drift detected' : 'No dataset drift'}</span>
              <span><strong>{rows.filter((r) => r.drifted).length}</strong> of {rows.length} features drifted</span>
              <span class="muted">run <a href={`#/runs/${encodeURIComponent(drift.runId)}`}><code>{drift.runId}</code></a></span>
            </div>
          )}
        </div>
      </div>
      {rows.length > 0 && (
        <div class="drift-layout">
          <div class="card">
            <h2>Drift per feature</h2>
            <div class="table-wrap">
              <table class="data-table" aria-label="Drift per feature" data-testid="drift-table">
                <thead><tr><th scope="col">Feature</th><th scope="col">KS p-value</th><th scope="col">χ² p-value</th><th scope="col">PSI</th><th scope="col">Drifted</th></tr></thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.feature} class={r === shown ? 'selected' : r.drifted ? 'row-bad' : undefined}>
                      <td class="wrap-cell"><button type="button" class="link" aria-pressed={r === shown} onClick={() => setFocus(r.feature)}>{titleOf(r.feature)}</button></td>
                      <td>{pval(r.ksP)}</td><td>{pval(r.chi2P)}</td><td>{num(r.psi)}</td>
                      <td>{r.drifted === undefined ? '—' : r.drifted ? 'yes' : 'no'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
          {shown && (
            <div class="card">
              <h2>{titleOf(shown.feature)}: baseline vs current</h2>
              {shown.baseline && shown.current ? (
                <ChartView label={`Distribution of ${shown.feature} in the baseline and the current data`} height={280} config={{
                  type: 'bar',
                  data: {
                    labels: bins(shown).map((v) => (Number.isNaN(Number(v)) ? v : `value ${v}`)),
                    datasets: [
                      { label: 'baseline (training data of the champion)', data: bins(shown).map((k) => shown.baseline![k] ?? 0), backgroundColor: '#94a3b8' },
                      { label: 'current', data: bins(shown).map((k) => shown.current![k] ?? 0), backgroundColor: '#2563eb' },
                    ],
                  },
                  options: { scales: { y: { title: { display: true, text: 'share of rows' } } } },
                }} />
              ) : <p class="muted">The report has no distributions for this feature.</p>}
              <p class="muted small">KS p-value {pval(shown.ksP)}, χ² p-value {pval(shown.chi2P)}, PSI {num(shown.psi)}. A small p-value or a PSI above 0.2 suggests the feature changed.</p>
            </div>
          )}
        </div>
      )}
      <div class="card">
        <h2>Snapshots</h2>
        {snapshots === null ? <p role="status">Loading…</p> : snapshots.length === 0 ? <p class="muted">No snapshots yet.</p> : (
          <table class="data-table" aria-label="Feature-store snapshots" data-testid="snapshots">
            <thead><tr><th scope="col">Created</th><th scope="col">Rows</th><th scope="col">sha256</th><th scope="col">Run</th></tr></thead>
            <tbody>{snapshots.map((s) => <tr key={s.sha256 + s.runId}><td>{when(s.createdAt)}</td><td>{s.rows.toLocaleString()}</td><td><code title={s.sha256}>{short(s.sha256, 16)}</code></td><td><a href={`#/runs/${encodeURIComponent(s.runId)}`}><code>{s.runId}</code></a></td></tr>)}</tbody>
          </table>
        )}
      </div>
    </section>
  );
}

function Validation({ v }: { v: { runId: string; report: Obj } }) {
  const r = v.report;
  const ok = r.ok === true || r.valid === true || r.passed === true;
  const problems: unknown[] = [
    ...(Array.isArray(r.missingColumns) && r.missingColumns.length > 0 ? [`Missing columns: ${r.missingColumns.map(String).join(', ')}`] : []),
    ...(Array.isArray(r.extraColumns) && r.extraColumns.length > 0 ? [`Columns the schema does not know (ignored): ${r.extraColumns.map(String).join(', ')}`] : []),
    ...(Array.isArray(r.badRows) ? r.badRows.map((b) => (isObj(b) ? `line ${String(b.line)}: ${String(b.reason)}` : String(b))) : []),
    ...(Array.isArray(r.problems) ? (r.problems as unknown[]) : []),
  ];
  return (
    <div>
      <div class="stats">
        <span class={`pill ${ok ? 'good' : 'bad'}`}>{ok ? 'Passed' : 'Failed'}</span>
        {typeof r.rows === 'number' && <span><strong>{r.rows.toLocaleString()}</strong> rows</span>}
        {typeof r.badRowCount === 'number' && <span><strong>{r.badRowCount}</strong> bad rows (quarantined)</span>}
        <span class="muted">run <a href={`#/runs/${encodeURIComponent(v.runId)}`}><code>{v.runId}</code></a></span>
      </div>
      {problems.length > 0 && <ul class="problems">{problems.slice(0, 20).map((p, i) => <li key={i}>{typeof p === 'string' ? p : isObj(p) && typeof p.message === 'string' ? p.message : JSON.stringify(p)}</li>)}</ul>}
    </div>
  );
}
