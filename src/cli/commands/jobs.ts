/**
 * `networksecurity jobs list|retry|remove`: the queued jobs in Redis (REDIS_URL) per queue and state,
 * with the reason of every failure; retry a failed job, remove one that is not running.
 */
import { ExitCode, NsError } from '../../core/errors.js';
import { JOB_STATES, type JobState } from '../../ports/job-queue.js';
import type { CliCommand } from '../command.js';
import { bool, str } from '../flags.js';
import { formatTable } from '../table.js';

export const jobsCommand: CliCommand = {
  name: 'jobs',
  summary: 'Queued jobs in Redis: list (with failure reasons), retry a failed one, remove one',
  usage: 'jobs list [--queue <name>] [--state waiting|active|delayed|completed|failed] [--json] | jobs retry <queue> <id> | jobs remove <queue> <id>',
  actions: [
    { name: 'list', usage: 'jobs list [--queue <name>] [--state <state>] [--json]', summary: 'Queued jobs per queue and state, with the reason of each failure' },
    { name: 'retry', usage: 'jobs retry <queue> <id>', summary: 'Queue a failed job again' },
    { name: 'remove', usage: 'jobs remove <queue> <id>', summary: 'Remove a job that is not running' },
  ],
  flags: [
    { name: 'queue', type: 'string', value: '<name>', description: 'only this queue (default: all)' },
    { name: 'state', type: 'string', value: '<state>', description: `only this state: ${JOB_STATES.join(', ')}` },
    { name: 'json', type: 'boolean', description: 'print JSON on stdout' },
  ],
  async run({ flags, positionals, ctx, io }) {
    const [action = 'list', queueArg, id] = positionals;
    if (!['list', 'retry', 'remove'].includes(action)) throw new NsError('BAD_FLAGS', `Unknown jobs action "${action}".`, { hint: 'Use jobs list, jobs retry <queue> <id> or jobs remove <queue> <id>.' });
    const context = await ctx();
    const scale = context.scaleOut;
    if (!scale) throw new NsError('REDIS_REQUIRED', 'There are no queued jobs without a Redis.', { kind: 'config', hint: 'Set REDIS_URL and run again.' });
    if (action !== 'list') {
      if (!queueArg || !id) throw new NsError('BAD_FLAGS', `jobs ${action} needs a queue and a job id.`, { hint: `Run \`networksecurity jobs ${action} train <id>\`; ids are in \`jobs list\`.` });
      await (action === 'retry' ? scale.retryJob(queueArg, id) : scale.removeJob(queueArg, id));
      io.out(`job ${queueArg} ${id}: ${action === 'retry' ? 'queued again' : 'removed'}`);
      return ExitCode.ok;
    }
    const state = str(flags, 'state');
    if (state !== undefined && !(JOB_STATES as readonly string[]).includes(state)) throw new NsError('BAD_FLAGS', `Unknown state "${state}".`, { hint: `Use one of: ${JOB_STATES.join(', ')}.` });
    const queues = str(flags, 'queue') ? [str(flags, 'queue')!] : scale.queueNames();
    const jobs = (await Promise.all(queues.map((q) => scale.listJobs(q, state ? [state as JobState] : undefined)))).flat();
    if (bool(flags, 'json')) {
      io.out(JSON.stringify({ jobs }, null, 2));
      return ExitCode.ok;
    }
    if (jobs.length === 0) io.out('no jobs');
    else for (const line of formatTable(['queue', 'id', 'state', 'attempts', 'created', 'failure'], jobs.map((j) => [j.queue, j.id, j.state, String(j.attemptsMade), j.createdAt, j.failedReason ?? '']))) io.out(line);
    return ExitCode.ok;
  },
};
