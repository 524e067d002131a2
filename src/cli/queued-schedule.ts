/**
 * A schedule shared by every process that asks for it (REDIS_URL): a BullMQ job scheduler adds one job
 * per tick of the cron pattern, however many processes run the command, and this process serves the
 * job's queue until SIGINT / SIGTERM, so each tick runs exactly once, on one of them. Stopping one
 * process leaves the schedule in Redis for the others.
 */
import { Cron } from 'croner';
import { ExitCode, NsError } from '../core/errors.js';
import type { AppContext } from '../main/context.js';

/** The hint of BAD_SCHEDULE: what croner (default mode) accepts. */
export const scheduleHint = 'Use 5 fields (minute hour day-of-month month day-of-week, e.g. "0 2 * * *" for 02:00 daily), 6 (seconds first), 7 (a year last) or a nickname such as @hourly or @daily.';

export function badSchedule(schedule: string, e: unknown): NsError {
  return new NsError('BAD_SCHEDULE', `The schedule "${schedule}" is not a valid cron expression (${(e as Error).message}).`, { hint: scheduleHint });
}

export async function serveQueuedSchedule(context: AppContext, opts: { queue: string; id: string; schedule: string; data: unknown; what: string }): Promise<number> {
  const scale = context.scaleOut!;
  try {
    new Cron(opts.schedule, { paused: true }).stop();
  } catch (e) {
    throw badSchedule(opts.schedule, e);
  }
  await scale.upsertSchedule(opts.queue, opts.id, opts.schedule, opts.data);
  const runtime = await scale.startWorkers({ queues: [opts.queue], concurrency: 1 });
  context.logger.info(`${opts.queue} scheduled "${opts.schedule}" as job scheduler ${opts.id} on ${scale.queue.describe()}; each tick ${opts.what} once, on one of the processes serving it; Ctrl-C stops this one`);
  const signal = await new Promise<NodeJS.Signals>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await runtime.stop();
  context.logger.info(`${opts.queue}: ${signal}: stopped (the schedule stays in Redis for the other processes)`);
  return ExitCode.ok;
}
