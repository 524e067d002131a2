/**
 * One installation on "three machines": a `worker`, a `serve` and the CLI, each with an NS_HOME of its
 * own (temporary folders that share nothing), sharing only Redis (REDIS_URL), S3 (moto: S3_BUCKET for
 * artifacts, s3:// for the batch files) and MongoDB (FerretDB: MONGO_DB_URL for the records,
 * NS_STATE_URL for the run index, run lock and registry). `train --queue` from the CLI is trained on
 * the worker; `serve` lists the run in /api/v1/runs and loads the new champion; `predict --queue`
 * scores an s3:// CSV on the worker into an s3:// output equal to the CLI's own inline scoring. Then
 * two workers on two more homes: the one running a queued run is SIGKILLed, and the other resumes
 * that run (the lease in MongoDB and the Redis lock expire; the manifest is in S3): one new version.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledCsv, runCli, tempHome } from '../cli/cli-helpers.js';
import { serviceEnv, uniqueName } from '../services/env.js';
import { killRunOwner, queueEnv, rawQueue, serveCli, spawnCli, type Proc } from './helpers.js';

const mongoUrl = serviceEnv('MONGO_TEST_URL');
const endpoint = serviceEnv('S3_TEST_ENDPOINT');
const bucket = uniqueName('ns13-homes-');
const stateDb = uniqueName('nshomes');
const env = {
  ...queueEnv(),
  MONGO_DB_URL: mongoUrl, MONGO_DB_NAME: uniqueName('nshomesrec'),
  NS_STATE_URL: `${mongoUrl.replace(/\/$/, '')}/${stateDb}`,
  S3_BUCKET: bucket, S3_ENDPOINT: endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1',
  NS_TRAIN_PRESET: 'quick',
};
const homes = { cli: tempHome('ns-home-cli-'), worker: tempHome('ns-home-worker-'), serve: tempHome('ns-home-serve-'), a: tempHome('ns-home-a-'), b: tempHome('ns-home-b-') };
let base = '';
let firstRun = '';
const s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const mongo = new MongoClient(mongoUrl);
const procs: Proc[] = [];

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await mongo.connect();
  const etl = await runCli(['etl', '--source', bundledCsv], homes.cli, env);
  expect(etl.code, etl.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGTERM');
  await Promise.all(procs.map((p) => p.exited));
  for (const name of ['train', 'predict']) {
    const q = rawQueue(name, env);
    await q.obliterate({ force: true });
    await q.close();
  }
  await mongo.db(stateDb).dropDatabase();
  await mongo.db(env.MONGO_DB_NAME).dropDatabase();
  await mongo.close();
  s3.destroy();
});

describe('worker, serve and CLI with separate NS_HOMEs', () => {
  it('train --queue runs on the worker; serve lists the run and loads the champion; predict --queue scores s3:// to s3://', async () => {
    const worker = spawnCli(['worker', '--port', '0'], homes.worker, env);
    procs.push(worker);
    await worker.waitFor(/worker serving/, 60_000);
    base = await serveCli(homes.serve, env, procs);
    expect(procs.at(-1)!.output()).toMatch(new RegExp(`runs and registry mongodb://127\\.0\\.0\\.1:\\d+/${stateDb}`));

    const train = await runCli(['train', '--queue', '--json'], homes.cli, env);
    expect(train.code, train.stderr).toBe(0);
    const summary = JSON.parse(train.stdout) as { runId: string; status: string; champion: number | null };
    expect(summary).toMatchObject({ status: 'succeeded', champion: 1 });
    expect(worker.output()).toContain(`job train ${summary.runId} completed`);
    firstRun = summary.runId;

    // The run and the version live in the shared MongoDB, not in any home's state.db.
    const state = mongo.db(stateDb);
    expect(await state.collection('ns_runs').findOne({ _id: summary.runId as never })).toMatchObject({ status: 'succeeded' });
    expect(await state.collection('ns_registry_versions').countDocuments({})).toBe(1);

    const runs = (await (await fetch(`${base}/api/v1/runs`)).json()) as { runs: { id: string; status: string }[] };
    expect(runs.runs.map((r) => [r.id, r.status])).toEqual([[summary.runId, 'succeeded']]);
    await expect.poll(async () => {
      const r = await fetch(`${base}/api/v1/model`);
      return r.status === 200 ? ((await r.json()) as { version: number }).version : null;
    }, { timeout: 15_000 }).toBe(1);

    const models = await runCli(['models', 'list', '--json'], homes.cli, env);
    expect(models.code, models.stderr).toBe(0);
    expect(JSON.parse(models.stdout)).toMatchObject({ champion: 1, versions: [{ version: 1, runId: summary.runId }] });

    const head = `${readFileSync(bundledCsv, 'utf8').split(/\r?\n/).slice(0, 2001).join('\n')}\n`;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'in/head.csv', Body: head }));
    const queued = await runCli(['predict', '--input', `s3://${bucket}/in/head.csv`, '--output', `s3://${bucket}/out/head.csv`, '--queue', '--shard-rows', '500', '--json'], homes.cli, env);
    expect(queued.code, queued.stderr).toBe(0);
    expect(JSON.parse(queued.stdout)).toMatchObject({ rows: 2000, rejected: 0, queue: { shards: 4 } });
    expect((worker.output().match(/job predict \S+ completed/g) ?? []).length).toBe(4);

    writeFileSync(join(homes.cli, 'head.csv'), head);
    const inline = await runCli(['predict', '--input', join(homes.cli, 'head.csv'), '--output', join(homes.cli, 'inline.csv')], homes.cli, env);
    expect(inline.code, inline.stderr).toBe(0);
    const scored = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'out/head.csv' }))).Body!.transformToString();
    expect(scored).toBe(readFileSync(join(homes.cli, 'inline.csv'), 'utf8'));
  }, 400_000);

  it('a worker SIGKILLed mid-run: a worker on another home resumes the run; one new version, and serve swaps to it', async () => {
    const first = procs[0]!;
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const quick = { ...env, NS_JOB_LOCK_MS: '4000' };
    const pair = [spawnCli(['worker', '--port', '0', '--queues', 'train'], homes.a, quick), spawnCli(['worker', '--port', '0', '--queues', 'train'], homes.b, quick)];
    procs.push(...pair);
    await Promise.all(pair.map((w) => w.waitFor(/worker serving/, 60_000)));

    const client = spawnCli(['train', '--queue', '--json', '--full', '--tolerance', '1', '--seed', '7'], homes.cli, quick);
    procs.push(client);
    const { runId, owner } = await killRunOwner(client, pair);

    expect(await client.exited, client.output()).toBe(0);
    const summary = JSON.parse(client.output().slice(client.output().indexOf('{'))) as { runId: string; status: string; champion: number | null; resumedFrom: string | null };
    expect(summary).toMatchObject({ runId, status: 'succeeded', champion: 2, resumedFrom: 'train' });
    expect(pair.find((w) => w !== owner)!.output()).toContain(`job train ${runId} completed`);
    const models = await runCli(['models', 'list', '--json'], homes.serve, env);
    expect(JSON.parse(models.stdout)).toMatchObject({ champion: 2, versions: [{ version: 2, runId }, { version: 1, runId: firstRun }] });
    await expect.poll(async () => ((await (await fetch(`${base}/api/v1/model`)).json()) as { version: number }).version, { timeout: 15_000 }).toBe(2);
  }, 400_000);
});
