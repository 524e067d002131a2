/**
 * Jobs: the job queues of the workers (REDIS_URL) — per queue the waiting, active, delayed, completed
 * and failed counts and the latest jobs, each failed one with its reason. Refreshes every 3 s. Without
 * REDIS_URL every job runs in the server's process and the page says so.
 */
import { useEffect, useState } from 'preact/hooks';
import { errorText, getJson } from '../api.js';
import type { JobsOverview } from '../../server/deps.js';
import { whenShort } from '../format.js';

const STATES = ['waiting', 'active', 'delayed', 'completed', 'failed'] as const;
const pillClass: Record<(typeof STATES)[number], string> = { waiting: 'pill', active: 'pill warn', delayed: 'pill', completed: 'pill good', failed: 'pill bad' };

export function JobsPage() {
  const [jobs, setJobs] = useState<JobsOverview | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const load = (): void => {
      getJson<JobsOverview>('/api/v1/jobs').then((j) => { if (live) { setJobs(j); setError(null); } }, (e) => { if (live) setError(errorText(e)); });
    };
    load();
    const timer = setInterval(load, 3000);
    return () => { live = false; clearInterval(timer); };
  }, []);
  return (
    <section aria-labelledby="jobs-title">
      <header class="page-head"><h1 id="jobs-title">Jobs</h1><p>Queued work on the workers: training runs, data loads and batch-scoring shards.</p></header>
      {error && <div class="alert error" role="alert">{error}</div>}
      {jobs && jobs.backend === null && (
        <div class="card" data-testid="jobs-inline"><p class="muted">No job queue: REDIS_URL is not set, so every job runs in the server's process.</p></div>
      )}
      {jobs?.backend && <p class="muted" data-testid="jobs-backend">{jobs.backend}</p>}
      {jobs?.queues.map((q) => (
        <div class="card" key={q.name} data-testid={`queue-${q.name}`}>
          <div class="row between wrap">
            <h2>{q.name}</h2>
            <div class="stats">
              {STATES.map((s) => <span key={s} class={pillClass[s]} data-testid={`count-${q.name}-${s}`}>{s} {q.counts[s]}</span>)}
            </div>
          </div>
          {q.jobs.length === 0 ? <p class="muted">No jobs.</p> : (
            <div class="table-wrap short">
              <table class="data-table">
                <thead><tr><th>Job</th><th>State</th><th>Attempts</th><th>Created</th><th>Finished</th><th>Reason</th></tr></thead>
                <tbody>
                  {q.jobs.map((j) => (
                    <tr key={`${j.state}-${j.id}`} class={j.state === 'failed' ? 'row-bad' : undefined} data-testid={`job-${q.name}-${j.id}`}>
                      <td>{j.runId ? <a href={`#/runs/${encodeURIComponent(j.runId)}`}>{j.id}</a> : j.id}</td>
                      <td><span class={pillClass[j.state]}>{j.state}</span></td>
                      <td>{j.attemptsMade}</td>
                      <td>{whenShort(j.createdAt)}</td>
                      <td>{j.finishedAt ? whenShort(j.finishedAt) : '–'}</td>
                      <td class="reason">{j.failedReason ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      ))}
    </section>
  );
}
