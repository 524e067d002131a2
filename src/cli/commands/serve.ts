/**
 * `networksecurity serve`: the web UI and REST API on NS_HOST:NS_PORT (127.0.0.1:8501 by default),
 * serving the champion and swapping it when the alias moves. `up` (below) is the one-command main job.
 */
import { ExitCode, NsError } from '../../core/errors.js';
import type { AppContext } from '../../main/context.js';
import { uiDir } from '../../main/package-root.js';
import { createServerDeps } from '../../main/server-deps.js';
import { allowedHostNames, buildServer } from '../../server/index.js';
import type { CliCommand, CommandIo } from '../command.js';
import { colourWanted } from '../colour.js';
import { bool, num, str } from '../flags.js';
import { pipelineOptions } from './train-options.js';

/** Why `listen` failed, as a typed error naming the flag or variable to change. */
function listenError(e: unknown, host: string, port: number): unknown {
  const code = (e as { code?: string }).code;
  if (code === 'EADDRINUSE') {
    return new NsError('PORT_IN_USE', `Port ${port} on ${host} is already in use.`, { kind: 'config', cause: e, hint: 'Stop the other server, or pick a free port with --port or NS_PORT.' });
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new NsError('BAD_HOST', `Cannot listen on ${host}: it is not an address of this machine.`, { kind: 'config', cause: e, hint: 'Set --host or NS_HOST to an address of this machine, e.g. 127.0.0.1 or 0.0.0.0.' });
  }
  if (code === 'EACCES') {
    return new NsError('PORT_NOT_ALLOWED', `Listening on port ${port} is not allowed for this user.`, { kind: 'config', cause: e, hint: 'Use a port above 1023 with --port or NS_PORT.' });
  }
  return e;
}

export async function serve(context: AppContext, flags: Record<string, string | boolean | undefined>, io: CommandIo): Promise<number> {
  const serving = await createServerDeps(context, (preset) => pipelineOptions({ preset: preset ?? context.config.NS_TRAIN_PRESET }, context.config.NS_SEED, context.logger), { pollMs: context.config.NS_MODEL_POLL_MS });
  const host = str(flags, 'host') ?? context.config.NS_HOST;
  // Request logs go to stdout: JSON lines, or readable lines with --pretty or on a terminal.
  const pretty = bool(flags, 'pretty') || Boolean(process.stdout.isTTY);
  const requestLog = { pretty, colour: pretty && colourWanted(process.stdout, process.env) };
  const app = await buildServer({ ...serving.deps, uiDir, requestLog, allowedHosts: allowedHostNames(context.config.NS_ALLOWED_HOSTS, host) });
  const port = num(flags, 'port', context.config.NS_PORT, [0, 65535]);
  let address: string;
  try {
    address = await app.listen({ host, port });
  } catch (e) {
    await serving.stop();
    await app.close();
    throw listenError(e, host, port);
  }
  const model = serving.deps.getModel();
  io.err(`networksecurity is serving on ${address} (model ${model ? `v${model.version} ${model.kind}` : 'none yet'}); Ctrl-C stops`);
  const problem = serving.deps.modelProblem?.();
  if (problem) io.err(`warning: the champion cannot be served (${problem.code}: ${problem.message}); /readyz answers 503 until you roll back or promote another version (Models page, or \`networksecurity models rollback\`)`);
  if (!context.config.NS_API_TOKEN) io.err('note: NS_API_TOKEN is not set; training, promote and rollback are accepted from this machine only');
  await new Promise<void>((done) => {
    const stop = (): void => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  io.err('stopping… (a run training in this process is stopped and marked interrupted)');
  await serving.stop();
  await app.close();
  return ExitCode.ok;
}

export const serveFlags = [
  { name: 'host', type: 'string' as const, value: '<host>', description: 'address to listen on (default NS_HOST or 127.0.0.1)' },
  { name: 'port', type: 'string' as const, value: '<port>', description: 'port (default NS_PORT or 8501)' },
  { name: 'pretty', type: 'boolean' as const, description: 'request log as readable lines instead of JSON (the default on a terminal)' },
];

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Serve the web UI and REST API (default http://127.0.0.1:8501)',
  usage: 'serve [--host <host>] [--port <port>] [--pretty]',
  flags: serveFlags,
  async run({ flags, ctx, io }) {
    return serve(await ctx(), flags, io);
  },
};
