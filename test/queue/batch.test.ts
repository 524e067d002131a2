/**
 * Batch scoring on queue workers (`predict --queue`) against the real Redis and S3 (moto): the file is
 * cut into shards, scored by two worker processes and merged in input order into exactly the output of
 * the inline path (rejected rows name their line in the whole file); s3:// in and out; a client and a
 * worker SIGKILLed mid-batch, then the same command again: the shards already scored are not scored
 * again and the output is complete; --strict with a bad row fails with no output. A finished batch
 * leaves no `batches/<id>/` folder behind.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledCsv, runCli, tempHome } from '../cli/cli-helpers.js';
import { serviceEnv, uniqueName } from '../services/env.js';
import { queueEnv, rawQueue, spawnCli, type Proc } from './helpers.js';

const home = tempHome('ns-batch-');
const env = { ...queueEnv(), NS_JOB_LOCK_MS: '4000' };
const workers: Proc[] = [];
const endpoint = serviceEnv('S3_TEST_ENDPOINT');
const bucket = uniqueName('ns13-batch-');
const s3Env = { S3_ENDPOINT: endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' };
const s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

/** The bundled data with a few bad rows, a quoted cell holding a line break and comma, and blank lines. */
const tricky = join(home, 'tricky.csv');
let inline = '';

/** The batch id that `predict --queue --json` printed. */
const batchOf = (stdout: string): string => (JSON.parse(stdout) as { queue: { batch: string } }).queue.batch;

function startWorkers(n: number): Proc[] {
  const started = Array.from({ length: n }, () => spawnCli(['worker', '--port', '0', '--queues', 'predict'], home, env));
  workers.push(...started);
  return started;
}

beforeAll(async () => {
  const lines = readFileSync(bundledCsv, 'utf8').split(/\r?\n/).filter(Boolean);
  const out = [lines[0]!];
  lines.slice(1).forEach((l, i) => {
    if (i % 997 === 5) out.push('');
    out.push(i % 1013 === 7 ? l.replace('-1', '"=x, y\nz"') : l);
  });
  writeFileSync(tricky, `${out.join('\r\n')}\r\n`);
  expect((await runCli(['etl', '--source', bundledCsv], home)).code).toBe(0);
  const train = await runCli(['train', '--preset', 'quick', '--json'], home);
  expect(train.code, train.stderr).toBe(0);
  const r = await runCli(['predict', '--input', tricky, '--output', join(home, 'inline.csv')], home);
  expect(r.code, r.stderr).toBe(3);
  inline = readFileSync(join(home, 'inline.csv'), 'utf8');
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
}, 300_000);

afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
  const q = rawQueue('predict', env);
  await q.obliterate({ force: true });
  await q.close();
  s3.destroy();
});

describe('batch scoring on queue workers', () => {
  it('two workers score the shards; the merged output is the inline output, rows in input order', async () => {
    const two = startWorkers(2);
    await Promise.all(two.map((w) => w.waitFor(/health and metrics on/, 60_000)));
    // Each worker loaded the champion before taking jobs (not in its first shard's job).
    for (const w of two) expect(w.output()).toMatch(/worker: model v1 loaded for batch scoring[^]*health and metrics on/);
    const r = await runCli(['predict', '--input', tricky, '--output', join(home, 'queued.csv'), '--queue', '--shard-rows', '1000', '--json'], home, env);
    expect(r.code, r.stderr).toBe(3);
    expect(readFileSync(join(home, 'queued.csv'), 'utf8')).toBe(inline);
    expect(inline).toMatch(/,,"line 10: /); // a rejected row names its line in the whole file (a blank line before it)
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: 11_055, rejected: 11 });
    expect(r.stderr).toMatch(/scored 12 of 12 shards/);
    const started = two.map((w) => (w.output().match(/job predict \S+ started/g) ?? []).length);
    expect(started.reduce((a, b) => a + b, 0)).toBe(12);
    expect(started.every((n) => n > 0), `both workers scored shards: ${started.join(', ')}`).toBe(true);
    // The batch's staging keys are gone, and with them its folder (the FS artifact store prunes empty folders).
    expect(existsSync(join(home, 'artifacts', 'batches', batchOf(r.stdout)))).toBe(false);
    expect(existsSync(join(home, 'artifacts', 'batches'))).toBe(false);
    // The same command again, after it finished: the shards are scored again (their results were
    // cleaned up), not taken from the finished jobs, and the output is the same.
    rmSync(join(home, 'queued.csv'));
    const again = await runCli(['predict', '--input', tricky, '--output', join(home, 'queued.csv'), '--queue', '--shard-rows', '1000', '--json'], home, env);
    expect(again.code, again.stderr).toBe(3);
    expect(readFileSync(join(home, 'queued.csv'), 'utf8')).toBe(inline);
    expect(JSON.parse(again.stdout)).toMatchObject({ rows: 11_055, rejected: 11, queue: { shards: 12, reused: 0, batch: batchOf(r.stdout) } });
  }, 180_000);

  it('reads from and writes to S3', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'in/tricky.csv', Body: readFileSync(tricky) }));
    const args = ['predict', '--input', `s3://${bucket}/in/tricky.csv`, '--output', `s3://${bucket}/out/scored.csv`, '--queue', '--shard-rows', '3000', '--json'];
    const r = await runCli(args, home, { ...env, ...s3Env });
    expect(r.code, r.stderr).toBe(3);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'out/scored.csv' }));
    expect(await got.Body!.transformToString()).toBe(inline);
    // The object replaced under the same key: another batch (its ETag is in the batch id), so no shard
    // of the old content could be reused after a crash; the output is the new content's.
    const head = readFileSync(tricky, 'utf8').split('\r\n').slice(0, 2001).join('\r\n') + '\r\n';
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'in/tricky.csv', Body: head }));
    const changed = await runCli(args, home, { ...env, ...s3Env });
    expect(changed.code, changed.stderr).toBe(3);
    expect(batchOf(changed.stdout)).not.toBe(batchOf(r.stdout));
    writeFileSync(join(home, 'head.csv'), head);
    const local = await runCli(['predict', '--input', join(home, 'head.csv'), '--output', join(home, 'head-inline.csv')], home);
    expect(local.code, local.stderr).toBe(3);
    const got2 = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'out/scored.csv' }));
    expect(await got2.Body!.transformToString()).toBe(readFileSync(join(home, 'head-inline.csv'), 'utf8'));
  }, 180_000);

  it('--strict with a bad row: the command fails and writes no output', async () => {
    const out = join(home, 'strict.csv');
    const r = await runCli(['predict', '--input', tricky, '--output', out, '--queue', '--strict', '--shard-rows', '4000'], home, env);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/CSV_ROW_ERRORS/);
    expect(existsSync(out)).toBe(false);
  }, 120_000);

  it('client and worker SIGKILLed mid-batch: the same command resumes; scored shards are not scored again', async () => {
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    const out = join(home, 'resumed.csv');
    const args = ['predict', '--input', tricky, '--output', out, '--queue', '--shard-rows', '300'];
    const staged = (): string[] => (existsSync(join(home, 'artifacts', 'batches')) ? readdirSync(join(home, 'artifacts', 'batches')).sort() : []);
    const stagedBefore = staged();
    const client = spawnCli(args, home, env);
    const [first] = startWorkers(1);
    await first!.waitFor(/(job predict \S+ completed[^]*){4}/, 60_000);
    client.child.kill('SIGKILL');
    first!.child.kill('SIGKILL');
    await Promise.all([client.exited, first!.exited]);
    expect(existsSync(out)).toBe(false);
    const doneBefore = [...first!.output().matchAll(/job predict (\S+) completed/g)].map((m) => m[1]!);
    expect(doneBefore.length).toBeGreaterThanOrEqual(4);

    const fresh = startWorkers(2);
    await Promise.all(fresh.map((w) => w.waitFor(/health and metrics on/, 60_000)));
    const again = await runCli(args, home, env);
    expect(again.code, again.stderr).toBe(3);
    expect(readFileSync(out, 'utf8')).toBe(inline);
    const reused = /resumed: (\d+) of 37 shards/.exec(again.stderr);
    expect(reused, again.stderr).not.toBeNull();
    expect(Number(reused![1])).toBeGreaterThanOrEqual(doneBefore.length);
    const startedAgain = fresh.flatMap((w) => [...w.output().matchAll(/job predict (\S+) started/g)].map((m) => m[1]!));
    for (const id of doneBefore) expect(startedAgain).not.toContain(id);
    expect(new Set(startedAgain).size).toBe(startedAgain.length);
    // This batch's staging folder is gone, with whatever the killed worker left unfinished in it.
    expect(staged()).toEqual(stagedBefore);
  }, 240_000);
});
