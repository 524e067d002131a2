/**
 * `sync push|pull` mirrors a run between a local artifacts folder and S3 (moto), and `etl --schedule`
 * keeps loading on its cron schedule (idempotently) until stopped.
 */
import { readFileSync, readdirSync } from 'node:fs';
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
});
