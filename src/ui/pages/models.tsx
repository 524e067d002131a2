/**
 * Models: the registry's versions with their metrics and lineage (run, data snapshot, schema), the
 * champion, and promote / roll back — each after a confirmation, with the API token.
 */
import { useEffect, useState } from 'preact/hooks';
import { downloadWithToken, errorText, getJson, postJson } from '../api.js';
import { ConfirmDialog } from '../dialogs.js';
import { NoteEditor } from '../note-editor.js';
import { num, short, when, whenShort } from '../format.js';
import type { Models } from '../types.js';

const preferredMetrics = ['f1Phishing', 'f1', 'rocAuc', 'accuracy', 'precision', 'recall'];
const metricNames: Record<string, string> = { f1Phishing: 'F1 (phishing)', f1: 'F1', f1Legit: 'F1 (legitimate)', rocAuc: 'ROC AUC', accuracy: 'Accuracy', precision: 'Precision', recall: 'Recall' };

type Pending = { kind: 'promote'; version: number } | { kind: 'rollback' } | null;

export function ModelsPage() {
  const [models, setModels] = useState<Models | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const [noteFor, setNoteFor] = useState<number | null>(null);
  const load = (): void => { getJson<Models>('/api/v1/models').then(setModels, (e) => setError(errorText(e))); };
  useEffect(load, []);

  const act = async (ok: boolean): Promise<void> => {
    const p = pending;
    setPending(null);
    if (!ok || !p || !models) return;
    setError(null);
    try {
      const next = p.kind === 'promote'
        ? await postJson<Models>(`/api/v1/models/${p.version}/promote`, { expected: models.champion }, { auth: true })
        : await postJson<Models>('/api/v1/models/rollback', {}, { auth: true });
      setModels(next);
      setNotice(p.kind === 'promote' ? `Version ${p.version} is now the champion.` : `Rolled back: version ${next.champion ?? 'none'} is the champion.`);
    } catch (e) {
      setError(errorText(e));
      load();
    }
  };

  const present = new Set(models?.versions.flatMap((v) => Object.keys(v.metrics)) ?? []);
  const metricKeys = [...preferredMetrics.filter((k) => present.has(k)), ...[...present].filter((k) => !preferredMetrics.includes(k))].slice(0, 3);
  return (
    <section aria-labelledby="models-title">
      <header class="page-head"><h1 id="models-title">Models</h1><p>Registered versions, their metrics and where they came from. The champion answers every prediction.</p></header>
      {error && <div class="alert error" role="alert">{error}</div>}
      {notice && <div class="alert info" role="status" data-testid="models-notice">{notice}</div>}
      {models && (
        <>
          <div class="card">
            <div class="row between wrap">
              <div class="stats">
                <span>Champion: <strong data-testid="champion">{models.champion === null ? 'none' : `v${models.champion}`}</strong></span>
                <span>Serving: <strong>{models.serving === null ? 'none' : `v${models.serving}`}</strong></span>
                {models.challenger !== null && <span>Challenger: <strong>v{models.challenger}</strong></span>}
              </div>
              <button type="button" class="secondary" disabled={models.history.length === 0} onClick={() => setPending({ kind: 'rollback' })}>Roll back the champion…</button>
            </div>
          </div>
          <div class="card">
            <h2>Versions</h2>
            {models.versions.length === 0 ? <p class="muted">No versions yet. <a href="#/train">Train one</a>.</p> : (
              <div class="table-wrap">
                <table class="data-table" aria-label="Model versions" data-testid="versions">
                  <thead><tr><th scope="col">Version</th><th scope="col"><span class="visually-hidden">Actions</span></th><th scope="col">Kind</th><th scope="col">Created</th>{metricKeys.map((k) => <th scope="col" key={k}>{metricNames[k] ?? k}</th>)}<th scope="col">Run</th><th scope="col" title="sha256 of the data snapshot (first line) and of the schema (second line)">Lineage</th></tr></thead>
                  <tbody>
                    {models.versions.map((v) => (
                      <tr key={v.version} class={v.version === models.champion ? 'selected' : undefined}>
                        <td><strong>v{v.version}</strong> {v.version === models.champion && <span class="pill good">champion</span>}{v.version === models.challenger && v.version !== models.champion && <span class="pill">challenger</span>}</td>
                        <td><span class="actions">
                          {v.version !== models.champion && <button type="button" class="secondary small" aria-label={`Promote v${v.version}…`} onClick={() => setPending({ kind: 'promote', version: v.version })}>Promote…</button>}
                          <button type="button" class="secondary small" aria-label={`Download v${v.version}`} title={`Download the model bundle of v${v.version} (.nsm)`}
                            onClick={() => { setError(null); downloadWithToken(`/api/v1/models/${v.version}/bundle`, `networksecurity-model-v${v.version}.nsm`).catch((e: unknown) => setError(errorText(e))); }}>Download</button>
                        </span></td>
                        <td class="kind-cell">{v.modelKind}</td><td>{whenShort(v.createdAt)}</td>
                        {metricKeys.map((k) => <td key={k}>{num(v.metrics[k])}</td>)}
                        <td><a href={`#/runs/${encodeURIComponent(v.runId)}`}><code>{v.runId}</code></a></td>
                        <td><code title={`data snapshot ${v.snapshotSha256}`}>{short(v.snapshotSha256, 8)}</code><br /><code title={`schema ${v.schemaHash}`}>{short(v.schemaHash, 8)}</code></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
          {models.versions.length > 0 && (
            <div class="card">
              <h2>Notes on versions</h2>
              <div class="row"><label for="note-version">Version</label><select id="note-version" value={String(noteFor ?? models.champion ?? models.versions[0]!.version)} onChange={(e) => setNoteFor(Number(e.currentTarget.value))}>
                {models.versions.map((v) => <option key={v.version} value={String(v.version)}>v{v.version}{v.version === models.champion ? ' (champion)' : ''}</option>)}
              </select></div>
              <NoteEditor url={`/api/v1/models/${noteFor ?? models.champion ?? models.versions[0]!.version}/note`} label={`Note on v${noteFor ?? models.champion ?? models.versions[0]!.version}`} />
            </div>
          )}
          <div class="card">
            <h2>Champion history</h2>
            {models.history.length === 0 ? <p class="muted">The champion has not moved yet.</p> : (
              <ul class="history">{models.history.map((h, i) => <li key={i}><span class="muted">{when(h.at)}</span> {h.from === null ? 'none' : `v${h.from}`} → <strong>{h.to === null ? 'none' : `v${h.to}`}</strong> <span class="muted">({h.reason})</span></li>)}</ul>
            )}
          </div>
        </>
      )}
      <ConfirmDialog open={pending !== null}
        title={pending?.kind === 'promote' ? `Promote version ${pending.version}?` : 'Roll back the champion?'}
        body={pending?.kind === 'promote' ? `Version ${pending.version} will answer every prediction from now on (currently v${models?.champion ?? '—'}).` : 'The champion moves back to the version it held before the last change.'}
        confirm={pending?.kind === 'promote' ? 'Promote' : 'Roll back'} onClose={(ok) => void act(ok)} />
    </section>
  );
}
