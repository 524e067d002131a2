import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEnvFile } from './env-file.js';

const dirWith = (text: string): string => {
  const dir = mkdtempSync(join(tmpdir(), 'ns-envfile-'));
  writeFileSync(join(dir, '.env'), text);
  return dir;
};

describe('readEnvFile', () => {
  it('adds what the environment lacks, keeps what it has, skips empty values and comments', () => {
    const dir = dirWith('# comment\nMONGO_DB_URL=mongodb://u:p@h/\nexport NS_SEED="7"\nNS_API_TOKEN=\nNS_PORT=9000\n');
    const env: Record<string, string | undefined> = { NS_PORT: '8600' };
    const read = readEnvFile(dir, env);
    expect(read).toEqual({ path: join(dir, '.env'), taken: ['MONGO_DB_URL', 'NS_SEED'], overridden: ['NS_PORT'] });
    expect(env).toEqual({ NS_PORT: '8600', MONGO_DB_URL: 'mongodb://u:p@h/', NS_SEED: '7' });
  });

  it('is undefined without a .env', () => {
    expect(readEnvFile(mkdtempSync(join(tmpdir(), 'ns-envfile-')), {})).toBeUndefined();
  });

  it('a .env that cannot be read (here a folder) is a config error naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ns-envfile-'));
    mkdirSync(join(dir, '.env'));
    expect(() => readEnvFile(dir, {})).toThrow(expect.objectContaining({ code: 'ENV_FILE_UNREADABLE', kind: 'config' }));
  });
});
