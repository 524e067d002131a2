/**
 * `networksecurity serve`: the web UI and REST API on NS_HOST:NS_PORT (127.0.0.1:8501 by default),
 * serving the champion and swapping it when the alias moves. `up` (below) is the one-command main job.
 */
import { ExitCode } from '../../core/errors.js';
import type { AppContext } from '../../main/context.js';
import { uiDir } from '../../main/package-root.js';
import { createServerDeps } from '../../main/server-deps.js';
import { buildServer } from '../../server/index.js';
import type { CliCommand, CommandIo } from '../command.js';
import { num, str } from '../flags.js';
import { pipelineOptions } from './train-options.js';

export async function serve(context: AppContext, flags: Record<string, string | boolean | undefined>, io: CommandIo): Promise<number> {
  const serving = await createServerDeps(context, () => pipelineOptions({ preset: context.config.NS_TRAIN_PRESET }, context.config.NS_SEED, context.logger), { pollMs: context.config.NS_MODEL_POLL_MS });
  const app = await buildServer({ ...serving.deps, uiDir });
  const host = str(flags, 'host') ?? context.config.NS_HOST;
  const port = num(flags, 'port', context.config.NS_PORT, [0, 65535]);
  const address = await app.listen({ host, port });
  const model = serving.deps.getModel();
  io.err(`networksecurity is serving on ${address} (model ${model ? `v${model.version} ${model.kind}` : 'none yet'}); Ctrl-C stops`);
  if (!context.config.NS_API_TOKEN) io.err('note: NS_API_TOKEN is not set; training, promote and rollback are accepted from this machine only');
  await new Promise<void>((done) => {
    const stop = (): void => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  io.err('stopping…');
  await serving.stop();
  await app.close();
  return ExitCode.ok;
}

export const serveFlags = [
  { name: 'host', type: 'string' as const, value: '<host>', description: 'address to listen on (default NS_HOST or 127.0.0.1)' },
  { name: 'port', type: 'string' as const, value: '<port>', description: 'port (default NS_PORT or 8501)' },
];

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Serve the web UI and REST API (default http://127.0.0.1:8501)',
  usage: 'serve [--host <host>] [--port <port>]',
  flags: serveFlags,
  async run({ flags, ctx, io }) {
    return serve(await ctx(), flags, io);
  },
};
