/**
 * `sync push|pull` mirrors a run between a local artifacts folder and S3 (moto), and `etl --schedule`
 * keeps loading on its cron schedule (idempotently) until stopped; a stop signal during a load waits
 * for it (the default SQLite store ends up with the whole file), a second signal exits at once.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { bundledCsv, runCli, startCli, tempHome } from '../cli/cli-helpers.js';
import { serviceEnv, uniqueName } from '../services/env.js';

const endpoint = serviceEnv('S3_TEST_ENDPOINT');
const bucket = uniqueName('ns-sync-');
const s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const s3Env = { S3_BUCKET: bucket, S3_ENDPOINT: endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' };

afterAll(() => s3.destroy());

/** The bundled CSV with its rows repeated `times` times (11,055 × times distinct records), in `home`. */
function repeatedCsv(home: string, times: number): string {
  const [header, ...rows] = readFileSync(bundledCsv, 'utf8').trimEnd().split('\n');
  const path = join(home, `bundled-x${times}.csv`);
  writeFileSync(path, [header, ...Array<string[]>(times).fill(rows).flat()].join('\n') + '\n');
  return path;
}

/**
 * Sends `signal` to the child as soon as it logs that a load started and, with `again`, the same signal
 * once more when it logs that it waits for that load; resolves with its exit code and stderr.
 */
function signalDuringLoad(child: ChildProcess, signal: NodeJS.Signals, again = false): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  let sent = 0;
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (sent === 0 && /etl load started/.test(stderr)) sent = child.kill(signal) ? 1 : -1;
    if (sent === 1 && again && /waiting for the load in progress/.test(stderr)) sent = child.kill(signal) ? 2 : -1;
  });
  return new Promise((done) => child.on('close', (code) => done({ code, stderr })));
}

async function storedRecords(home: string): Promise<number> {
  const Database = (await import('better-sqlite3')).default;
  if (!existsSync(join(home, 'records.db'))) return 0;
  const db = new Database(join(home, 'records.db'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM phishingdata').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('sync and schedule', () => {
  it('pushes a local run to S3 and pulls it into another folder, skipping what is in sync', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const a = tempHome('ns-sync-a-');
    expect((await runCli(['etl', '--source', bundledCsv], a)).code).toBe(0);
    const train = JSON.parse((await runCli(['train', '--json', '--preset', 'quick'], a)).stdout) as { runId: string };
    const push = await runCli(['sync', 'push', train.runId], a, s3Env);
    expect(push.code, push.stderr).toBe(0);
    const localFiles = readdirSync(join(a, 'artifacts', train.runId)).sort();
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${train.runId}/` }));
    expect((listed.Contents ?? []).map((o) => o.Key!.slice(train.runId.length + 1)).sort()).toEqual(localFiles);
    expect(push.stdout).toMatch(new RegExp(`${localFiles.length} copied, 0 already in sync`));
    const again = await runCli(['sync', 'push', train.runId], a, s3Env);
    expect(again.stdout).toMatch(new RegExp(`0 copied, ${localFiles.length} already in sync`));

    const b = tempHome('ns-sync-b-');
    expect((await runCli(['sync', 'pull', train.runId], b, s3Env)).code).toBe(0);
    const pulled = join(b, 'artifacts', train.runId, 'model.nsm');
    expect(readFileSync(pulled)).toEqual(readFileSync(join(a, 'artifacts', train.runId, 'model.nsm')));
    const none = await runCli(['sync', 'pull', 'no-such-run'], b, s3Env);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/SYNC_NOTHING/);
  }, 300_000);

  it('etl --schedule loads on its schedule until stopped; repeated loads add nothing', async () => {
    const home = tempHome('ns-sched-');
    const child = startCli(['etl', '--source', bundledCsv, '--schedule', '*/2 * * * * *'], home);
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        if ((stderr.match(/rows read/g) ?? []).length >= 2) resolve();
      });
      child.on('close', (code) => reject(new Error(`etl --schedule exited (${code}): ${stderr}`)));
    });
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(0);
    expect(stderr).toMatch(/etl scheduled "\*\/2 \* \* \* \* \*"; next run/);
    const loads = stderr.split('\n').filter((l) => l.includes('rows read'));
    expect(loads[0]).toMatch(/11055 inserted/);
    expect(loads[1]).toMatch(/0 inserted, 11055 skipped/);
  }, 120_000);

  it('etl --schedule stopped by SIGTERM during a load waits for it, then closes the store and exits 0', async () => {
    const home = tempHome('ns-sched-stop-');
    const big = repeatedCsv(home, 6);
    const { code, stderr } = await signalDuringLoad(startCli(['etl', '--source', big, '--schedule', '* * * * * *'], home), 'SIGTERM');
    expect(code, stderr).toBe(0);
    const lines = stderr.trimEnd().split('\n');
    expect(lines.filter((l) => /error/i.test(l))).toEqual([]);
    expect(lines).toContain('etl: SIGTERM: the schedule is stopped; waiting for the load in progress to finish (a second signal exits at once)');
    const loads = lines.filter((l) => l.includes('rows read'));
    expect(loads).toHaveLength(1);
    expect(loads[0]).toMatch(/66330 rows read, 66330 inserted, 0 skipped/);
    expect(lines.at(-1)).toBe('etl schedule stopped by SIGTERM after the load in progress finished');
    expect(await storedRecords(home)).toBe(66_330);
  }, 60_000);

  it('a second signal during a load exits at once with 128 + its number', async () => {
    const home = tempHome('ns-sched-kill-');
    const big = repeatedCsv(home, 6);
    const { code, stderr } = await signalDuringLoad(startCli(['etl', '--source', big, '--schedule', '* * * * * *'], home), 'SIGINT', true);
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/error: etl: second SIGINT: exiting without waiting for the load in progress/);
    expect(stderr).not.toMatch(/rows read|schedule stopped/);
  }, 60_000);

  it('a bad schedule fails before any load with a hint naming what croner accepts', async () => {
    const home = tempHome('ns-sched-bad-');
    const r = await runCli(['etl', '--source', bundledCsv, '--schedule', '61 * * * *'], home);
    expect(r.code).toBe(2);
    // The error line, after the start lines naming the state and the stores.
    expect(r.stderr.trimEnd().split('\n').filter((l) => !/^(state|stores): /.test(l)).join('\n')).toBe('BAD_SCHEDULE: The schedule "61 * * * *" is not a valid cron expression (CronPattern: Invalid value for minute: 61). Use 5 fields (minute hour day-of-month month day-of-week, e.g. "0 2 * * *" for 02:00 daily), 6 (seconds first), 7 (a year last) or a nickname such as @hourly or @daily.');
    expect(await storedRecords(home)).toBe(0);
  }, 60_000);
});
