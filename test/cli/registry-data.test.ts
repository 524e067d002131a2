/**
 * Data versions and the registry from the CLI: `train --snapshot` reproduces a run on a recorded
 * snapshot (same rows, same model for the same seed) even after the store changed; `models` lists,
 * promotes and rolls back; `data versions` lists the snapshots.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledCsv, runCli, tempHome } from './cli-helpers.js';

interface TrainJson { runId: string; champion: number | null; data: { rows: number; snapshotSha256: string }; candidates: { name: string; cv: { f1: number }; test: { f1Phishing: number } }[] }

describe('data versions and the registry', () => {
  it('reproduces a run on a recorded snapshot and moves the champion with promote / rollback', async () => {
    const home = tempHome();
    expect((await runCli(['etl', '--source', bundledCsv], home)).code).toBe(0);
    const first = JSON.parse((await runCli(['train', '--json', '--preset', 'quick'], home)).stdout) as TrainJson;
    expect(first.champion).toBe(1);

    // New records change the store: a plain incremental run sees them.
    const lines = readFileSync(bundledCsv, 'utf8').trim().split('\n');
    const extra = [lines[0]!, ...lines.slice(1, 301).map((l) => l.replace(/^-?1,/, '0,'))].join('\n') + '\n';
    writeFileSync(join(home, 'extra.csv'), extra);
    expect((await runCli(['etl', '--source', join(home, 'extra.csv')], home)).code).toBe(0);
    const second = JSON.parse((await runCli(['train', '--json', '--preset', 'quick'], home)).stdout) as TrainJson & { data: { newRecords: number } };
    expect(second.data.rows).toBe(first.data.rows + 300);
    expect(second.data.newRecords).toBe(300);

    const again = await runCli(['train', '--json', '--preset', 'quick', '--snapshot', first.data.snapshotSha256.slice(0, 12)], home);
    expect(again.code, again.stderr).toBe(0);
    const repro = JSON.parse(again.stdout) as TrainJson;
    expect(repro.data.snapshotSha256).toBe(first.data.snapshotSha256);
    expect(repro.data.rows).toBe(first.data.rows);
    expect(repro.candidates.map((c) => [c.name, c.cv.f1, c.test.f1Phishing])).toEqual(first.candidates.map((c) => [c.name, c.cv.f1, c.test.f1Phishing]));

    const versions = await runCli(['data', 'versions', '--json'], home);
    const v = JSON.parse(versions.stdout) as { versions: { sha256: string; rows: number; runs: number }[] };
    expect(v.versions.map((x) => x.rows).sort()).toEqual([first.data.rows, first.data.rows + 300].sort());
    expect(v.versions.find((x) => x.sha256 === first.data.snapshotSha256)?.runs).toBe(2);

    const list = JSON.parse((await runCli(['models', 'list', '--json'], home)).stdout) as { champion: number; versions: { version: number }[] };
    expect(list.versions.length).toBeGreaterThanOrEqual(2);
    const champion = list.champion;
    const other = list.versions.map((x) => x.version).find((x) => x !== champion)!;
    expect((await runCli(['models', 'promote', String(other)], home)).code).toBe(0);
    expect((JSON.parse((await runCli(['models', 'list', '--json'], home)).stdout) as { champion: number }).champion).toBe(other);
    expect((await runCli(['models', 'rollback'], home)).code).toBe(0);
    expect((JSON.parse((await runCli(['models', 'list', '--json'], home)).stdout) as { champion: number }).champion).toBe(champion);
    const missing = await runCli(['models', 'promote', '99'], home);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/MODEL_NOT_FOUND/);
  }, 600_000);
});
