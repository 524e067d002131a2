/**
 * The shape of a CLI command. Each command lives in src/cli/commands/<name>.ts, exports one
 * `CliCommand`, and is listed (loaded on use) in src/cli/commands/index.ts. Commands get parsed flags and the
 * application context; they return an exit code (see ExitCode in core/errors.ts) and throw NsError
 * for user-caused errors (the dispatcher prints one line and exits with its code).
 */
import type { AppContext } from '../main/context.js';

export interface FlagSpec {
  name: string;
  type: 'string' | 'boolean';
  description: string;
  /** Short description of the value, e.g. "<file>". */
  value?: string;
}

export interface CommandIo {
  /** Human output (stdout). */
  out(line: string): void;
  /** Diagnostics and progress (stderr). */
  err(line: string): void;
  /** True when stderr is a terminal (progress bars) . */
  isTty: boolean;
}

/** A sub-command (`models promote`), with its own `--help`. */
export interface ActionSpec {
  name: string;
  usage: string;
  summary: string;
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  flags: FlagSpec[];
  actions?: ActionSpec[];
  /**
   * True when this invocation only reads the local state (`runs`, `models list`): a state folder that
   * does not exist is not created.
   */
  readOnly?(positionals: string[]): boolean;
  run(args: { flags: Record<string, string | boolean | undefined>; positionals: string[]; ctx: () => Promise<AppContext>; io: CommandIo }): Promise<number>;
}
