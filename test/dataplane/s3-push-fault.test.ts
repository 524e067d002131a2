/**
 * Fault: the S3 endpoint dies while `train` is in its push stage. A private moto (the shared one is
 * untouched) sits behind a kill switch that SIGKILLs the real moto process at an exact request of the
 * push stage: reading the bundle back, publishing the registry index after registering the version,
 * publishing it after moving the champion alias, and saving the run's manifest that records the push
 * (the champion has moved and its index is published by then). Each time the run must fail with one clear
 * S3_UNAVAILABLE line (no stack trace, no secret), be recorded as failed before push, and leave the
 * champion where it was; after moto is back on the same endpoint, a new run succeeds and its bundle,
 * manifest and registry index are in the bucket with the champion it promoted.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledCsv, runCli, tempHome } from '../cli/cli-helpers.js';
import { uniqueName } from '../services/env.js';
import { startMotoKillSwitch } from '../services/moto-kill-switch.js';
import type { KillTrigger, MotoKillSwitch, S3Request } from '../services/moto-kill-switch.js';

const bucket = uniqueName('ns-push-fault-');
const secret = 'PushFaultSecretKey0123456789abcdef';
const home = tempHome('ns-s3-push-');
let moto: MotoKillSwitch;
let s3: S3Client;

const env = (): Record<string, string> => ({
  S3_BUCKET: bucket, S3_ENDPOINT: moto.endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: secret, AWS_REGION: 'us-east-1',
});

interface Runs { champion: { version: number; runId: string } | null; runs: { id: string; status: string; lastStage: string | null; error: { code: string } | null; summary: { stages?: { name: string; status: string }[] } }[] }

async function cliJson<T>(args: string[]): Promise<T> {
  const r = await runCli([...args, '--json'], home, env());
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}

const registryIndex = `/${bucket}/registry/index.json`;
const isGetBundle = (r: S3Request): boolean => r.method === 'GET' && r.path.endsWith('/model.nsm');
const manifestOf = (bundlePath: string): string => bundlePath.replace(/model\.nsm$/, 'manifest.json');

/** The points of the push stage at which moto dies, and what the run was doing then. */
const cases: { name: string; doing: RegExp; trigger: KillTrigger }[] = [
  {
    // evaluate reads the run's bundle and records itself in the manifest; push then reads the bundle back.
    name: 'reading the bundle back',
    doing: new RegExp(`reading s3://${bucket}/run-[^/ ]+/model\\.nsm`),
    trigger: (req, seen) => isGetBundle(req) && seen.some((s, i) => isGetBundle(s) && s.path === req.path
      && seen.slice(i + 1).some((t) => t.method === 'PUT' && t.path === manifestOf(req.path))),
  },
  {
    name: 'publishing the registry after registering the version',
    doing: new RegExp(`writing s3://${bucket}/registry/index\\.json`),
    trigger: (req) => req.method === 'PUT' && req.path === registryIndex,
  },
  {
    name: 'publishing the registry after moving the champion alias',
    doing: new RegExp(`writing s3://${bucket}/registry/index\\.json`),
    trigger: (req, seen) => req.method === 'PUT' && req.path === registryIndex && seen.some((s) => s.method === 'PUT' && s.path === registryIndex),
  },
  {
    // Both index PUTs went through: the promotion is published, only the run's record of it is missing.
    name: 'saving the run manifest after the promotion is published',
    doing: new RegExp(`writing s3://${bucket}/run-[^/ ]+/manifest\\.json`),
    trigger: (req, seen) => req.method === 'PUT' && req.path.endsWith('/manifest.json')
      && seen.filter((s) => s.method === 'PUT' && s.path === registryIndex).length === 2,
  },
];

/**
 * Arguments of a run that registers a new version and promotes it: a seed of its own makes its training
 * key new (the same key would reuse the registered version), and a tolerance of 1 accepts it whatever
 * its F1 against the champion (a tie would keep the champion).
 */
let runSeed = 100;
const promoting = (): string[] => ['--preset', 'quick', '--full', '--seed', String(runSeed++), '--tolerance', '1'];

beforeAll(async () => {
  moto = await startMotoKillSwitch();
  s3 = new S3Client({ endpoint: moto.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  // A small slice of the data set keeps every run at a few seconds.
  writeFileSync(join(home, 'small.csv'), readFileSync(bundledCsv, 'utf8').split('\n').slice(0, 400).join('\n') + '\n');
  const etl = await runCli(['etl', '--source', join(home, 'small.csv')], home, env());
  expect(etl.code, etl.stderr).toBe(0);
  const first = await runCli(['train', '--json', '--preset', 'quick'], home, env());
  expect(first.code, first.stderr).toBe(0);
  expect((JSON.parse(first.stdout) as { champion: number }).champion).toBe(1);
}, 120_000);

afterAll(async () => {
  s3?.destroy();
  await moto?.dispose();
});

describe('S3 endpoint stopped during push', () => {
  for (const c of cases) {
    it(`${c.name}: the run fails clearly, the champion stays, and a new run succeeds once S3 is back`, async () => {
      if (moto.isDown()) throw new Error('moto was left down by an earlier case');
      const before = (await cliJson<Runs>(['runs'])).champion!.version;

      moto.arm(c.trigger);
      const failed = await runCli(['train', '--json', ...promoting()], home, env());
      expect(moto.killedAt(), `moto was never killed; requests seen: ${JSON.stringify(moto.requests())}`).toBeDefined();
      expect(failed.code).not.toBe(0);
      const lines = failed.stderr.trim().split('\n');
      expect(lines[lines.length - 1]).toMatch(new RegExp(`^S3_UNAVAILABLE: S3 at ${moto.endpoint.replace(/\./g, '\\.')} is unavailable while ${c.doing.source}`));
      expect(failed.stderr).toContain('▶ push');
      expect(failed.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(failed.stdout + failed.stderr).not.toContain(secret);

      // The run index and the registry are local (state.db): readable while S3 is down. The run is
      // recorded as failed in push with evaluate its last completed stage.
      const runs = await cliJson<Runs>(['runs']);
      const run = runs.runs[0]!;
      expect(run).toMatchObject({ status: 'failed', lastStage: 'evaluate', error: { code: 'S3_UNAVAILABLE' } });
      expect(run.summary.stages?.find((s) => s.name === 'push')?.status).toBe('failed');
      expect(runs.champion?.version).toBe(before);

      // moto keeps its data in memory only: the restarted server (same port, same endpoint) is empty,
      // so the bucket is created again. The failed run's manifest went with it, so it cannot be resumed
      // (`train --from push` would find no manifest): a new run trains and pushes again.
      await moto.restart();
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      const rerun = await runCli(['train', '--json', ...promoting()], home, env());
      expect(rerun.code, rerun.stderr).toBe(0);
      const out = JSON.parse(rerun.stdout) as { runId: string; status: string; champion: number | null };
      expect(out.status).toBe('succeeded');
      expect(out.champion).toBeGreaterThan(before);

      const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key);
      expect(keys).toEqual(expect.arrayContaining([`${out.runId}/model.nsm`, `${out.runId}/manifest.json`, 'registry/index.json']));
      const index = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'registry/index.json' }))).Body!.transformToString()) as { aliases: { champion?: number } };
      expect(index.aliases.champion).toBe(out.champion);
      const manifest = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${out.runId}/manifest.json` }))).Body!.transformToString()) as { stages: { push?: { outputs: { version: number } } } };
      expect(manifest.stages.push?.outputs.version).toBe(out.champion);
      expect((await cliJson<Runs>(['runs'])).champion).toEqual({ version: out.champion, runId: out.runId });
    }, 120_000);
  }
});
