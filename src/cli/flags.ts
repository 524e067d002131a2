/**
 * Typed readers for parsed flags: each bad value is an NsError naming the flag.
 */
import { NsError } from '../core/errors.js';

type Flags = Record<string, string | boolean | undefined>;

export function str(flags: Flags, name: string): string | undefined {
  const v = flags[name];
  return typeof v === 'string' ? v : undefined;
}

export function requireStr(flags: Flags, name: string, hint: string): string {
  const v = str(flags, name);
  if (!v) throw new NsError('MISSING_FLAG', `--${name} is required.`, { hint });
  return v;
}

export function bool(flags: Flags, name: string): boolean {
  return flags[name] === true;
}

export function num(flags: Flags, name: string, fallback: number, range: [number, number]): number {
  const v = str(flags, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < range[0] || n > range[1]) {
    throw new NsError('BAD_FLAG_VALUE', `--${name} must be a number from ${range[0]} to ${range[1]}, not "${v}".`, { hint: `Pass e.g. --${name} ${fallback}.` });
  }
  return n;
}

export function oneOf<T extends string>(flags: Flags, name: string, allowed: readonly T[], fallback: T): T {
  const v = str(flags, name);
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v)) {
    throw new NsError('BAD_FLAG_VALUE', `--${name} must be one of ${allowed.join(', ')}, not "${v}".`, { hint: `Pass e.g. --${name} ${fallback}.` });
  }
  return v as T;
}
