/**
 * `networksecurity <command>`: parses flags, builds the application context lazily, runs the command
 * and maps errors to exit codes: 0 ok, 2 bad input or configuration, 3 done with rejected rows,
 * 1 internal error. A user-caused error prints one line; the stack trace only with --verbose.
 */
import { parseArgs } from 'node:util';
import { ExitCode, NsError, toNsError } from '../core/errors.js';
import type { AppContext } from '../main/context.js';
import { createContext } from '../main/compose.js';
import { consoleLogger } from './logger.js';
import { commands } from './commands/index.js';
import type { CliCommand, CommandIo } from './command.js';

function usage(io: CommandIo): void {
  io.out('Usage: networksecurity <command> [flags]\n');
  io.out('Commands:');
  for (const c of commands) io.out(`  ${c.name.padEnd(10)} ${c.summary}`);
  io.out('\nRun `networksecurity <command> --help` for its flags. Global flags: --verbose, --help.');
}

function commandHelp(c: CliCommand, io: CommandIo): void {
  io.out(`Usage: networksecurity ${c.usage}\n\n${c.summary}\n\nFlags:`);
  for (const f of c.flags) io.out(`  --${(f.name + (f.value ? ` ${f.value}` : '')).padEnd(24)} ${f.description}`);
  io.out(`  --${'verbose'.padEnd(24)} show debug logs and stack traces`);
}

export async function main(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    usage(io);
    return name ? ExitCode.ok : ExitCode.badInput;
  }
  const verbose = rest.includes('--verbose');
  const command = commands.find((c) => c.name === name);
  let ctx: AppContext | undefined;
  try {
    if (!command) throw new NsError('UNKNOWN_COMMAND', `Unknown command "${name}".`, { hint: `Use one of: ${commands.map((c) => c.name).join(', ')}.` });
    if (rest.includes('--help') || rest.includes('-h')) {
      commandHelp(command, io);
      return ExitCode.ok;
    }
    const options = Object.fromEntries([...command.flags.map((f) => [f.name, { type: f.type }] as const), ['verbose', { type: 'boolean' }] as const]);
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
    } catch (e) {
      throw new NsError('BAD_FLAGS', (e as Error).message.replace(/\.$/, '') + '.', { hint: `See \`networksecurity ${command.name} --help\`.` });
    }
    const logger = consoleLogger(io, verbose);
    return await command.run({
      flags: parsed.values,
      positionals: parsed.positionals,
      ctx: async () => (ctx ??= await createContext(logger)),
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

