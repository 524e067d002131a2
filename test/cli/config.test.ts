/**
 * Configuration is validated at start for every command (issue 18): a bad variable stops the command
 * with one line naming it and exit 2, before anything is opened or written.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundledCsv, runCli, tempHome } from './cli-helpers.js';

const commands = [['runs'], ['models', 'list'], ['data', 'versions'], ['predict', '--input', bundledCsv, '--output', 'out.csv'], ['etl', '--source', bundledCsv], ['train'], ['serve'], ['up']];

describe('configuration checked at start', () => {
  it.each([
    ['MONGO_DB_URL', 'garbage'], ['S3_ENDPOINT', 'notaurl'], ['NS_PORT', ''], ['NS_PORT', '0x4A3A'], ['NS_HOME', ''],
  ])('%s=%j stops every command with one line naming it, exit 2, nothing written', async (name, value) => {
    const home = tempHome();
    const results = await Promise.all(commands.map((args) => runCli(args, home, { [name]: value, ...(name === 'S3_ENDPOINT' ? { S3_BUCKET: 'b' } : {}) })));
    for (const r of results) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^CONFIG_INVALID: Environment variable ${name} is invalid: [^\\n]+\\n$`));
    }
    expect(readdirSync(home)).toEqual([]);
  }, 120_000);
});
