/**
 * One run at a time across machines without Redis: `train` processes on three separate NS_HOMEs that
 * share only NS_STATE_URL (FerretDB), the records (MONGO_DB_URL) and S3 (moto). Started together,
 * exactly one runs and registers; the others are refused with RUN_IN_PROGRESS (exit 2). A `train`
 * SIGKILLed mid-run frees the lease after NS_JOB_LOCK_MS, and the next run, on another home, marks
 * it interrupted. A `train` whose lease is taken from it mid-run stops with RUN_LOCK_LOST and
 * registers nothing.
 */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledCsv, killWhen, runCli, startCli, tempHome } from '../cli/cli-helpers.js';
import { serviceEnv, uniqueName } from '../services/env.js';

interface RunsJson { runs: { id: string; status: string }[] }
interface ModelsJson { versions: { version: number }[] }

const mongoUrl = serviceEnv('MONGO_TEST_URL');
const endpoint = serviceEnv('S3_TEST_ENDPOINT');
const bucket = uniqueName('ns13-state-');
const stateDb = uniqueName('nsstcli');
const env = {
  MONGO_DB_URL: mongoUrl, MONGO_DB_NAME: uniqueName('nsstclirec'), NS_STATE_URL: `${mongoUrl.replace(/\/$/, '')}/${stateDb}`,
  S3_BUCKET: bucket, S3_ENDPOINT: endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1',
  NS_JOB_LOCK_MS: '3000',
};
const homes = [tempHome('ns-state-a-'), tempHome('ns-state-b-'), tempHome('ns-state-c-')] as const;
const s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const etl = await runCli(['etl', '--source', bundledCsv], homes[0], env);
  expect(etl.code, etl.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  const mongo = new MongoClient(mongoUrl);
  await mongo.db(stateDb).dropDatabase();
  await mongo.db(env.MONGO_DB_NAME).dropDatabase();
  await mongo.close();
  s3.destroy();
});

describe('one train at a time across homes sharing NS_STATE_URL', () => {
  it('of 3 concurrent train processes on 3 homes exactly one runs and registers', async () => {
    const results = await Promise.all(homes.map((home) => runCli(['train', '--json', '--preset', 'quick'], home, env)));
    const won = results.filter((r) => r.code === 0);
    expect(won, results.map((r) => r.stderr).join('\n---\n')).toHaveLength(1);
    for (const r of results.filter((x) => x.code !== 0)) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^RUN_IN_PROGRESS: /m);
    }
    const winner = (JSON.parse(won[0]!.stdout) as { runId: string }).runId;
    for (const home of homes) {
      const models = await runCli(['models', 'list', '--json'], home, env);
      expect(JSON.parse(models.stdout)).toMatchObject({ champion: 1, versions: [{ version: 1, runId: winner }] });
    }
  }, 400_000);

  it('a SIGKILLed train frees the lock after NS_JOB_LOCK_MS; the next run, on another home, marks it interrupted', async () => {
    await killWhen(startCli(['train', '--preset', 'quick', '--full'], homes[0], env), '▶ transform');
    const killed = (JSON.parse((await runCli(['runs', '--json'], homes[1], env)).stdout) as RunsJson).runs[0]!;
    expect(killed.status).toBe('running');
    let next = await runCli(['train', '--json', '--fresh', '--preset', 'quick'], homes[1], env);
    for (let i = 0; next.code === 2 && i < 5; i++) {
      expect(next.stderr).toMatch(new RegExp(`^RUN_IN_PROGRESS: Run ${killed.id} is in progress`, 'm'));
      await new Promise((r) => setTimeout(r, 3500));
      next = await runCli(['train', '--json', '--fresh', '--preset', 'quick'], homes[1], env);
    }
    expect(next.code, next.stderr).toBe(0);
    const runs = (JSON.parse((await runCli(['runs', '--json'], homes[2], env)).stdout) as RunsJson).runs;
    expect(runs.find((r) => r.id === killed.id)?.status).toBe('interrupted');
    expect(runs.filter((r) => r.status === 'running')).toEqual([]);
  }, 300_000);

  it('a train whose lease another process took stops with RUN_LOCK_LOST, registers nothing and is left interrupted', async () => {
    const versionsBefore = (JSON.parse((await runCli(['models', 'list', '--json'], homes[2], env)).stdout) as ModelsJson).versions.length;
    const child = startCli(['train', '--fresh', '--preset', 'quick', '--full'], homes[2], env);
    let stderr = '';
    const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    const mongo = new MongoClient(mongoUrl);
    try {
      await new Promise<void>((resolve, reject) => {
        child.stderr!.on('data', (d: Buffer) => {
          stderr += d.toString();
          if (stderr.includes('▶ transform')) resolve();
        });
        void exited.then(() => reject(new Error(`train ended before transform:\n${stderr}`)));
      });
      // The lease as a process on another machine leaves it after this one's lease expired unseen (a long pause).
      const taken = await mongo.db(stateDb).collection<{ _id: string }>('ns_run_lock').updateOne({ _id: 'run' }, { $set: { owner: 'thief', pid: 4242, host: 'other-host', runId: 'run-thief', expiresAt: Date.now() + 600_000 } });
      expect(taken.matchedCount).toBe(1);
      const code = await exited;
      expect(code, stderr).toBe(2);
      expect(stderr).toMatch(/^RUN_LOCK_LOST: This run lost the registry's run lock \(another process holds it/m);
      await mongo.db(stateDb).collection<{ _id: string }>('ns_run_lock').deleteOne({ _id: 'run' });
    } finally {
      await mongo.close();
    }
    const models = (JSON.parse((await runCli(['models', 'list', '--json'], homes[0], env)).stdout) as ModelsJson).versions;
    expect(models).toHaveLength(versionsBefore);
    const runs = (JSON.parse((await runCli(['runs', '--json'], homes[1], env)).stdout) as RunsJson).runs;
    expect(runs[0]?.status).toBe('interrupted');
  }, 300_000);
});
