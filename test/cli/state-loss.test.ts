/**
 * Losing or breaking the state file (issue 18, items 5 and the malformed state.db): the registry comes
 * back from the published `registry/index.json`, so the next run compares with the real champion and
 * gets a new version number; a state.db that is not a database is a typed error naming the file.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledCsv, runCli, tempHome } from './cli-helpers.js';

interface TrainJson { runId: string; champion: number | null; gate: { reason: string } | null }
interface ModelsJson { champion: number | null; versions: { version: number; runId: string }[] }

describe('the state file', () => {
  it('lost: the registry is rebuilt from the published index and no version number is reused', async () => {
    const home = tempHome();
    expect((await runCli(['etl', '--source', bundledCsv], home)).code).toBe(0);
    const first = JSON.parse((await runCli(['train', '--json', '--preset', 'quick'], home)).stdout) as TrainJson;
    expect(first.champion).toBe(1);
    for (const f of ['state.db', 'state.db-wal', 'state.db-shm']) rmSync(join(home, f), { force: true });

    const models = JSON.parse((await runCli(['models', 'list', '--json'], home)).stdout) as ModelsJson;
    expect(models.champion).toBe(1);
    expect(models.versions.map((v) => [v.version, v.runId])).toEqual([[1, first.runId]]);

    // A tolerance of 1 accepts any candidate, so the run registers a version.
    const second = await runCli(['train', '--json', '--preset', 'quick', '--seed', '7', '--tolerance', '1'], home);
    expect(second.code, second.stderr).toBe(0);
    const out = JSON.parse(second.stdout) as TrainJson;
    expect(out.gate?.reason).toMatch(/vs champion v1/);
    expect(out.champion).toBe(2);
    const after = JSON.parse((await runCli(['models', 'list', '--json'], home)).stdout) as ModelsJson;
    expect(after.versions.map((v) => [v.version, v.runId])).toEqual([[2, out.runId], [1, first.runId]]);
    expect(after.champion).toBe(2);
  }, 300_000);

  it('not a database: every command that needs it stops with DB_CORRUPT naming the file, exit 2', async () => {
    const home = tempHome();
    writeFileSync(join(home, 'state.db'), 'this is not a database, it is a text file that got here somehow\n'.repeat(100));
    for (const args of [['runs'], ['models', 'list'], ['train', '--preset', 'quick']]) {
      const r = await runCli(args, home);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^DB_CORRUPT: .*${join(home, 'state.db').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.* Move it aside`, 'm'));
    }
  }, 120_000);
});
