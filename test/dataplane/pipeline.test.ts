/**
 * The product on the real data plane: records in FerretDB (MongoDB protocol), artifacts and model
 * bundles in S3 (moto), all through the CLI. ETL from a bucket twice adds nothing the second time,
 * bad rows go to a reject file, a trained champion's bundle lands in the bucket, and `predict` on
 * another machine's data folder (no local registry) finds and loads it from S3. Faults: FerretDB down
 * fails the run clearly with the champion untouched; wrong S3 credentials print no secret.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { bundledCsv, runCli, tempHome } from '../cli/cli-helpers.js';
import { serviceEnv, uniqueName } from '../services/env.js';
import { startPrivateFerretDb } from '../services/ferretdb.js';

const endpoint = serviceEnv('S3_TEST_ENDPOINT');
const bucket = uniqueName('ns-e2e-');
const s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const env = (extra: Record<string, string> = {}): Record<string, string> => ({
  MONGO_DB_URL: serviceEnv('MONGO_TEST_URL'), MONGO_DB_NAME: bucket.replace(/-/g, '_'),
  S3_BUCKET: bucket, S3_ENDPOINT: endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1', ...extra,
});

afterAll(() => s3.destroy());

describe('pipeline on FerretDB and S3', () => {
  const home = tempHome('ns-dp-');

  it('loads from S3 into FerretDB idempotently, trains, pushes the bundle to S3, and predicts elsewhere from S3', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'incoming/phishing.csv', Body: readFileSync(bundledCsv) }));
    const source = `s3://${bucket}/incoming/phishing.csv`;
    const first = await runCli(['etl', '--source', source, '--json'], home, env());
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ inserted: 11055, rejected: 0 });
    const second = await runCli(['etl', '--source', source, '--json'], home, env());
    expect(JSON.parse(second.stdout)).toMatchObject({ inserted: 0, skipped: 11055 });

    const lines = readFileSync(bundledCsv, 'utf8').trim().split('\n');
    const bad = [lines[0], lines[1]!.replace(/^-?1,/, '9,'), lines[2]].join('\n') + '\n';
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'incoming/bad.csv', Body: bad }));
    const rejects = join(home, 'bad.rejects.csv');
    const withBad = await runCli(['etl', '--source', `s3://${bucket}/incoming/bad.csv`, '--rejects', rejects], home, env());
    expect(withBad.code).toBe(3);
    expect(readFileSync(rejects, 'utf8')).toMatch(/^line,column,value,reason\n2,having_IP_Address,9,/);

    const train = await runCli(['train', '--json', '--preset', 'quick'], home, env());
    expect(train.code, train.stderr).toBe(0);
    const out = JSON.parse(train.stdout) as { runId: string; champion: number };
    expect(out.champion).toBe(1);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    const keys = (listed.Contents ?? []).map((o) => o.Key);
    expect(keys).toContain(`${out.runId}/model.nsm`);
    expect(keys).toContain(`${out.runId}/feature_store.csv`);
    expect(keys).toContain('registry/index.json');

    const elsewhere = tempHome('ns-dp-other-');
    const output = join(elsewhere, 'scored.csv');
    const predict = await runCli(['predict', '--input', bundledCsv, '--output', output, '--json'], elsewhere, env());
    expect(predict.code, predict.stderr).toBe(0);
    expect(JSON.parse(predict.stdout)).toMatchObject({ model: 1, predicted: 11055 });
    expect(readFileSync(output, 'utf8').trim().split('\n')).toHaveLength(11056);
  }, 600_000);

  it('fails clearly when FerretDB is down, marks no snapshot complete, and leaves the champion', async () => {
    const ferret = await startPrivateFerretDb();
    try {
      const local = tempHome('ns-dp-down-');
      const e = env({ MONGO_DB_URL: ferret.url, S3_BUCKET: bucket, S3_PREFIX: 'down/' });
      writeFileSync(join(local, 'small.csv'), readFileSync(bundledCsv, 'utf8').split('\n').slice(0, 400).join('\n') + '\n');
      expect((await runCli(['etl', '--source', join(local, 'small.csv')], local, e)).code).toBe(0);
      expect((await runCli(['train', '--preset', 'quick'], local, e)).code).toBe(0);
      await ferret.stop();
      const r = await runCli(['train', '--json', '--preset', 'quick', '--full'], local, e);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/MONGO_UNAVAILABLE/);
      const lines = r.stderr.trim().split('\n');
      expect(lines[lines.length - 1]).toMatch(/^MONGO_UNAVAILABLE: /);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      const runs = JSON.parse((await runCli(['runs', '--json'], local, e)).stdout) as { champion: { version: number }; runs: { status: string; lastStage: string | null }[] };
      expect(runs.champion.version).toBe(1);
      expect(runs.runs[0]).toMatchObject({ status: 'failed', lastStage: null });
    } finally {
      await ferret.dispose();
    }
  }, 300_000);

  it('wrong S3 credentials give a clear error that contains no secret', async () => {
    const local = tempHome('ns-dp-cred-');
    const secret = 'SuperSecretValue1234567890';
    const r = await runCli(['etl', '--source', `s3://${bucket}/incoming/phishing.csv`], local, env({ AWS_SECRET_ACCESS_KEY: secret, S3_ENDPOINT: 'http://127.0.0.1:9' }));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/S3/);
    expect(r.stderr + r.stdout).not.toContain(secret);
  }, 120_000);
});
