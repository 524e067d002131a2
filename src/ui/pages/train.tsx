/**
 * Train: start a pipeline run, watch its stages live (server-sent events), then land on its results.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText, postJson } from '../api.js';
import { go } from '../format.js';

interface StageState { name: string; status: 'pending' | 'running' | 'done' | 'skipped' | 'failed'; fraction?: number; message?: string }
interface EventData { type: string; stage?: string; fraction?: number; message?: string; status?: string }
const knownStages = ['ingest', 'validate', 'transform', 'train', 'evaluate', 'push'];
/** The training presets (src/pipeline/plan.ts); '' leaves the choice to the server (NS_TRAIN_PRESET). */
const presets: [value: string, text: string][] = [
  ['', 'Server default (NS_TRAIN_PRESET)'],
  ['default', 'default — nine model families, tuned for this data'],
  ['original', 'original — the Python project\'s five grids, 3-fold CV'],
  ['quick', 'quick — three small models, for a fast look'],
];
const eventTypes = ['snapshot', 'stage_started', 'stage_progress', 'stage_finished', 'stage_skipped', 'stage_failed', 'run_finished', 'run_failed', 'message', 'end'];

export function TrainPage() {
  const [full, setFull] = useState(false);
  const [preset, setPreset] = useState('');
  const [runId, setRunId] = useState<string | null>(null);
  const [stages, setStages] = useState<StageState[]>([]);
  const [status, setStatus] = useState<'idle' | 'starting' | 'running' | 'succeeded' | 'failed'>('idle');
  const [log, setLog] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const source = useRef<EventSource | null>(null);

  useEffect(() => () => source.current?.close(), []);

  const update = (name: string, patch: Partial<StageState>): void =>
    setStages((s) => (s.some((x) => x.name === name) ? s.map((x) => (x.name === name ? { ...x, ...patch } : x)) : [...s, { name, status: 'pending', ...patch }]));

  const follow = (id: string): void => {
    source.current?.close();
    const es = new EventSource(`/api/v1/runs/${encodeURIComponent(id)}/events`);
    source.current = es;
    const finish = (ok: boolean, note: string): void => {
      es.close();
      setStatus(ok ? 'succeeded' : 'failed');
      setLog((l) => [...l, note]);
      if (ok) setTimeout(() => go(`#/runs/${encodeURIComponent(id)}`), 900);
    };
    for (const type of eventTypes) {
      es.addEventListener(type, (ev) => {
        const data = JSON.parse((ev as MessageEvent<string>).data) as EventData | null;
        if (!data) return;
        const stage = data.stage;
        if (type === 'stage_started' && stage) update(stage, { status: 'running', fraction: 0 });
        if (type === 'stage_progress' && stage) update(stage, { status: 'running', fraction: data.fraction, message: data.message });
        if (type === 'stage_finished' && stage) update(stage, { status: 'done', fraction: 1, message: undefined });
        if (type === 'stage_skipped' && stage) update(stage, { status: 'skipped' });
        if (type === 'stage_failed' && stage) update(stage, { status: 'failed', message: data.message });
        if (data.message && type !== 'stage_progress') setLog((l) => [...l.slice(-50), `${new Date().toLocaleTimeString()} ${data.message}`]);
        if (type === 'run_finished') finish(true, 'Run finished. Opening its results…');
        if (type === 'run_failed') finish(false, `Run failed${data.message ? `: ${data.message}` : ''}.`);
        if (type === 'end') finish(data.status === 'succeeded', `Run ${data.status ?? 'ended'}.`);
      });
    }
    es.onerror = () => { if (es.readyState === EventSource.CLOSED) setLog((l) => [...l, 'Lost the live connection.']); };
  };

  const start = async (): Promise<void> => {
    setError(null);
    setStatus('starting');
    setStages(knownStages.map((name) => ({ name, status: 'pending' })));
    setLog([]);
    try {
      const { runId: id } = await postJson<{ runId: string }>('/api/v1/runs', { ...(full ? { full: true } : {}), ...(preset ? { preset } : {}) }, { auth: true });
      setRunId(id);
      setStatus('running');
      follow(id);
    } catch (e) {
      setStatus('idle');
      setError(errorText(e));
    }
  };

  const running = status === 'starting' || status === 'running';
  return (
    <section aria-labelledby="train-title">
      <header class="page-head">
        <h1 id="train-title">Train</h1>
        <p>Run the pipeline: ingest, validate and check drift, transform, train the candidates, evaluate the best against the champion, push.</p>
      </header>
      <div class="card">
        <div class="row wrap">
          <button type="button" class="primary" onClick={() => void start()} disabled={running}>{running ? 'Running…' : 'Start a training run'}</button>
          <label class="check">Preset <select value={preset} onChange={(e) => setPreset(e.currentTarget.value)} disabled={running}>{presets.map(([v, t]) => <option key={v} value={v}>{t}</option>)}</select></label>
          <label class="check"><input type="checkbox" checked={full} onChange={(e) => setFull(e.currentTarget.checked)} disabled={running} /> Re-ingest all records (not only new ones)</label>
        </div>
        {error && <div class="alert error" role="alert">{error}</div>}
      </div>
      {runId && (
        <div class="card" aria-live="polite">
          <h2>Run <code>{runId}</code> <span class={`status ${status}`} data-testid="run-status">{status}</span></h2>
          <ol class="stages" data-testid="stages">
            {stages.map((s) => (
              <li key={s.name} class={`stage ${s.status}`}>
                <span class="dot" aria-hidden="true">{s.status === 'done' ? '✓' : s.status === 'failed' ? '✕' : s.status === 'running' ? '●' : s.status === 'skipped' ? '–' : '○'}</span>
                <span class="name">{s.name}</span>
                <span class="state">{s.status}</span>
                <progress max={1} value={s.status === 'done' ? 1 : s.fraction ?? 0} aria-label={`${s.name} progress`} />
                {s.message && <span class="muted small">{s.message}</span>}
              </li>
            ))}
          </ol>
          {log.length > 0 && <ul class="log">{log.map((l, i) => <li key={i}>{l}</li>)}</ul>}
          {status === 'succeeded' && <p><a href={`#/runs/${encodeURIComponent(runId)}`}>See the results</a></p>}
        </div>
      )}
    </section>
  );
}
