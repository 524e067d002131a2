/**
 * The built CLI (dist/cli/bin.js) started in a folder with only a `.env` (issue 17): the variables of
 * the file choose the stores (here MongoDB: the shared FerretDB), the real environment wins over the
 * file, the start says which stores are in use with credentials masked, and read-only commands create
 * no state folder.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceEnv, uniqueName } from '../services/env.js';
import { builtCli, bundledCsv, runBuilt, tempHome } from './cli-helpers.js';

const url = serviceEnv('MONGO_TEST_URL');
const fromFile = uniqueName('ns_envfile');
const fromEnv = uniqueName('ns_envwins');
let bin: string;
let client: MongoClient;

beforeAll(async () => {
  bin = builtCli();
  client = new MongoClient(url);
  await client.connect();
}, 300_000);

afterAll(async () => {
  await client.db(fromFile).dropDatabase();
  await client.db(fromEnv).dropDatabase();
  await client.close();
});

/** A fresh folder holding only a `.env` with `lines`. */
function folderWithEnv(lines: string[]): string {
  const dir = tempHome('ns-envfile-');
  writeFileSync(join(dir, '.env'), `# the original project's .env\n${lines.join('\n')}\n`);
  return dir;
}

describe('.env in the current folder', () => {
  it('MONGO_DB_URL from .env puts the records into MongoDB, and the start says so', async () => {
    const dir = folderWithEnv([`MONGO_DB_URL=${url}`, `MONGO_DB_NAME=${fromFile}`, 'NS_API_TOKEN=']);
    const r = await runBuilt(bin, ['etl', '--source', bundledCsv, '--json'], dir, {});
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`.env: MONGO_DB_NAME, MONGO_DB_URL from ${join(dir, '.env')}\n`);
    expect(r.stderr).toMatch(new RegExp(`^stores: records mongodb://127\\.0\\.0\\.1:\\d+/ \\(${fromFile}\\.phishingdata\\); artifacts file://${join(dir, '.networksecurity/artifacts')}; tracking local \\(state\\.db\\); queue inline$`, 'm'));
    expect(r.stderr).toContain(`state: ${join(dir, '.networksecurity')} (default; NS_HOME moves it)\n`);
    expect(JSON.parse(r.stdout)).toMatchObject({ inserted: 11055, rejected: 0 });
    expect(await client.db(fromFile).collection('phishingdata').countDocuments()).toBe(11055);
    // SQLite was not used: no records.db next to the state.
    expect(existsSync(join(dir, '.networksecurity/records.db'))).toBe(false);
  }, 300_000);

  it('the real environment wins over .env', async () => {
    const dir = folderWithEnv([`MONGO_DB_URL=${url}`, `MONGO_DB_NAME=${fromFile}`]);
    const r = await runBuilt(bin, ['etl', '--source', bundledCsv, '--json'], dir, { MONGO_DB_NAME: fromEnv });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(".env: MONGO_DB_URL from ");
    expect(r.stderr).toContain("; the environment's MONGO_DB_NAME kept\n");
    expect(r.stderr).toContain(`(${fromEnv}.phishingdata)`);
    expect(await client.db(fromEnv).collection('phishingdata').countDocuments()).toBe(11055);
  }, 300_000);

  it('credentials in URLs are masked, and a read-only command creates no state folder', async () => {
    const dir = folderWithEnv(['MONGO_DB_URL=mongodb://bob:s3cr3t-pw@127.0.0.1:1/', 'MLFLOW_TRACKING_URI=https://alice:t0ken-pw@mlflow.example.com']);
    for (const args of [['runs'], ['models', 'list'], ['data', 'versions']]) {
      const r = await runBuilt(bin, args, dir, {});
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr + r.stdout).not.toMatch(/s3cr3t|t0ken/);
      expect(r.stderr).toContain('records mongodb://bob:***@127.0.0.1:1/');
      expect(r.stderr).toContain('tracking MLflow https://alice:***@mlflow.example.com');
      expect(r.stderr).toContain(`state: ${join(dir, '.networksecurity')} (default; NS_HOME moves it) — does not exist yet\n`);
      expect(r.stdout).toContain(`yet in ${join(dir, '.networksecurity')}`);
    }
    expect(readdirSync(dir)).toEqual(['.env']);
  }, 120_000);

  it('NS_HOME names the state folder and the start says where it is', async () => {
    const dir = folderWithEnv(['NS_HOME=elsewhere']);
    const r = await runBuilt(bin, ['runs'], dir, {});
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`state: ${join(dir, 'elsewhere')} (NS_HOME) — does not exist yet\n`);
    expect(readdirSync(dir)).toEqual(['.env']);
  }, 120_000);
});
