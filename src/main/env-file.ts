/**
 * The `.env` file of the current folder (the original project's habit): each variable it sets that the
 * environment does not already set is added to the environment, so the real environment wins. An empty
 * value (`NS_API_TOKEN=` in a copy of `.env.example`) counts as unset. Parsed by Node's own
 * `util.parseEnv` (the format of `node --env-file`: `KEY=value`, quotes, `#` comments, `export`).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { NsError } from '../core/errors.js';

export interface EnvFileRead {
  path: string;
  /** Names of the variables taken from the file, sorted (values never shown: some are secrets). */
  taken: string[];
  /** Names the file sets that the environment already had (the environment's value is kept). */
  overridden: string[];
}

/** Reads `<dir>/.env` into `env`; undefined when there is no such file. */
export function readEnvFile(dir: string, env: Record<string, string | undefined>): EnvFileRead | undefined {
  const path = resolve(dir, '.env');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') return undefined;
    throw new NsError('ENV_FILE_UNREADABLE', `Cannot read ${path}${code ? ` (${code})` : ''}.`, { kind: 'config', cause: e, hint: 'Fix its permissions, or remove it and set the variables in the environment.' });
  }
  const taken: string[] = [];
  const overridden: string[] = [];
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (value === undefined || value === '') continue;
    if (env[name] !== undefined) {
      overridden.push(name);
      continue;
    }
    env[name] = value;
    taken.push(name);
  }
  return { path, taken: taken.sort(), overridden: overridden.sort() };
}
