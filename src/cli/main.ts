/**
 * `networksecurity <command>`: reads `.env` (the environment wins), parses flags, builds the application
 * context lazily (saying where the state lives and which stores are in use), runs the command and maps
 * errors to exit codes: 0 ok, 2 bad input or configuration, 3 done with rejected rows, 1 internal error.
 * A user-caused error prints one line; the stack trace only with --verbose.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ExitCode, NsError, toNsError } from '../core/errors.js';
import type { AppContext } from '../main/context.js';
import { createContext } from '../main/compose.js';
import { readEnvFile } from '../main/env-file.js';
import { packageVersion } from '../main/package-root.js';
import { envFileLine, stateLine, storesLine } from '../main/stores-summary.js';
import { consoleLogger } from './logger.js';
import { commandEntries, loadCommands } from './commands/index.js';
import type { CliCommand, CommandIo } from './command.js';
import { formatTable } from './table.js';

async function usage(io: CommandIo): Promise<void> {
  const commands = await loadCommands();
  io.out('Usage: networksecurity <command> [flags]\n');
  io.out('Commands:');
  for (const line of formatTable(['', ''], commands.map((c) => [c.name, c.summary])).slice(1)) io.out(`  ${line}`);
  io.out('\nRun `networksecurity <command> --help` for its flags. Global flags: --verbose, --help, --version.');
}

function commandHelp(c: CliCommand, action: string | undefined, io: CommandIo): void {
  const a = c.actions?.find((x) => x.name === action);
  io.out(`Usage: networksecurity ${a?.usage ?? c.usage}\n\n${a?.summary ?? c.summary}`);
  if (!a && c.actions) {
    io.out('\nActions:');
    for (const line of formatTable(['', ''], c.actions.map((x) => [x.usage, x.summary])).slice(1)) io.out(`  ${line}`);
  }
  io.out('\nFlags:');
  const flags = [...c.flags.map((f) => [`--${f.name}${f.value ? ` ${f.value}` : ''}`, f.description]), ['--verbose', 'show debug logs and stack traces']];
  for (const line of formatTable(['', ''], flags).slice(1)) io.out(`  ${line}`);
}

export async function main(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v' || name === 'version') {
    io.out(packageVersion);
    return ExitCode.ok;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    await usage(io);
    return name ? ExitCode.ok : ExitCode.badInput;
  }
  const verbose = rest.includes('--verbose');
  const entry = commandEntries.find((c) => c.name === name);
  let ctx: AppContext | undefined;
  try {
    if (!entry) throw new NsError('UNKNOWN_COMMAND', `Unknown command "${name}".`, { hint: `Use one of: ${commandEntries.map((c) => c.name).join(', ')}.` });
    const command = await entry.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      commandHelp(command, rest.find((r) => !r.startsWith('-')), io);
      return ExitCode.ok;
    }
    const options = Object.fromEntries([...command.flags.map((f) => [f.name, { type: f.type }] as const), ['verbose', { type: 'boolean' }] as const]);
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
    } catch (e) {
      throw new NsError('BAD_FLAGS', (e as Error).message.replace(/\.$/, '') + '.', { hint: `See \`networksecurity ${command.name} --help\`.` });
    }
    const envFile = readEnvFile(process.cwd(), process.env);
    if (envFile) io.err(envFileLine(envFile));
    const logger = consoleLogger(io, verbose);
    const readOnly = command.readOnly?.(parsed.positionals) ?? false;
    const open = async (): Promise<AppContext> => {
      const context = await createContext(logger, process.env, { readOnly });
      io.err(stateLine(context.paths.home, process.env.NS_HOME !== undefined, existsSync(context.paths.home)));
      io.err(storesLine(context));
      return context;
    };
    return await command.run({
      flags: parsed.values,
      positionals: parsed.positionals,
      ctx: async () => (ctx ??= await open()),
      io,
    });
  } catch (e) {
    const err = toNsError(e);
    io.err(err.toLine());
    if (verbose && e instanceof Error && e.stack) io.err(e.stack);
    return err.exitCode;
  } finally {
    await ctx?.close();
  }
}
