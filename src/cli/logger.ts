/**
 * Logger for the CLI: one line per message on stderr; debug lines only with --verbose. Values of
 * fields whose name suggests a secret are never printed.
 */
import type { Logger } from '../core/logger.js';
import type { CommandIo } from './command.js';

const SECRET = /pass|secret|token|key|credential/i;

function format(fields?: Record<string, unknown>): string {
  if (!fields) return '';
  const parts = Object.entries(fields).map(([k, v]) => `${k}=${SECRET.test(k) ? '***' : typeof v === 'string' ? v : JSON.stringify(v)}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

export function consoleLogger(io: CommandIo, verbose: boolean): Logger {
  return {
    debug: (msg, fields) => verbose && io.err(`debug: ${msg}${format(fields)}`),
    info: (msg, fields) => io.err(`${msg}${format(fields)}`),
    warn: (msg, fields) => io.err(`warning: ${msg}${format(fields)}`),
    error: (msg, fields) => io.err(`error: ${msg}${format(fields)}`),
  };
}
