/**
 * Looking at and handling queued jobs (`networksecurity jobs`, the UI's Jobs view): the jobs of a
 * queue per state with their failure reason, retrying a failed job, removing a job.
 */
import type { Job, Queue } from 'bullmq';
import { NsError } from '../../core/errors.js';
import { JOB_STATES, type JobState, type JobView } from '../../ports/job-queue.js';

export type { JobView };



function view(queue: string, state: JobState, job: Job): JobView {
  const data = job.data as { runId?: unknown } | undefined;
  return {
    queue, id: job.id ?? '', state, attemptsMade: job.attemptsMade, failedReason: job.failedReason || null,
    createdAt: new Date(job.timestamp).toISOString(), finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    runId: typeof data?.runId === 'string' ? data.runId : null,
  };
}

/** Jobs of `queue` in the given states, newest first, at most `limit` per state. */
export async function listJobs(q: Queue, states: readonly JobState[] = JOB_STATES, limit = 50): Promise<JobView[]> {
  const out: JobView[] = [];
  for (const state of states) {
    const jobs = await q.getJobs([state === 'waiting' ? 'wait' : state], 0, limit - 1, false);
    for (const j of jobs) if (j) out.push(view(q.name, state, j));
  }
  return out;
}

export async function jobCounts(q: Queue): Promise<Record<JobState, number>> {
  const c = await q.getJobCounts('wait', 'active', 'delayed', 'completed', 'failed');
  return { waiting: c['wait'] ?? 0, active: c['active'] ?? 0, delayed: c['delayed'] ?? 0, completed: c['completed'] ?? 0, failed: c['failed'] ?? 0 };
}

async function find(q: Queue, id: string): Promise<Job> {
  const job = await q.getJob(id);
  if (!job) throw new NsError('JOB_NOT_FOUND', `There is no job ${id} in queue ${q.name}.`, { kind: 'not_found', hint: 'List jobs with `networksecurity jobs list`.' });
  return job;
}

/** Puts a failed job back in the queue for another round of attempts. */
export async function retryJob(q: Queue, id: string): Promise<void> {
  const job = await find(q, id);
  if (!(await job.isFailed())) throw new NsError('JOB_NOT_FAILED', `Job ${id} in queue ${q.name} has not failed.`, { kind: 'conflict', hint: 'Only failed jobs can be retried.' });
  await job.retry('failed');
}

/** Removes a job that is not running. */
export async function removeJob(q: Queue, id: string): Promise<void> {
  const job = await find(q, id);
  if (await job.isActive()) throw new NsError('JOB_ACTIVE', `Job ${id} in queue ${q.name} is running.`, { kind: 'conflict', hint: 'Wait for it to end (or stop its worker), then remove it.' });
  await job.remove();
}
