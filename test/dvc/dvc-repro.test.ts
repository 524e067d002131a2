/**
 * Issue 16's DVC contract with the real `dvc` (PyPI, from scripts/dvc-venv.sh) in a temporary git
 * repository: `networksecurity data export-dvc` writes a pipeline that `dvc repro` runs end to end; a
 * second `dvc repro` does nothing; a changed parameter re-runs only the stages it touches; `dvc dag`
 * draws every stage; the snapshot DVC versions is the one the run recorded; `dvc push` to a DVC remote (a
 * local folder) and `dvc pull` in a clean clone bring back the snapshot and model byte for byte.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundledCsv, root, runCli, tempHome } from '../cli/cli-helpers.js';

const dvcBin = join(root, '.cache/venv-dvc/bin/dvc');
const cli = `${process.execPath} --import ${pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href} ${join(root, 'src/cli/bin.ts')}`;

describe('the pipeline as a DVC pipeline', () => {
  const repo = tempHome('ns-dvc-repo-');
  const home = tempHome('ns-dvc-home-');
  const env: NodeJS.ProcessEnv = { ...process.env, NS_HOME: home, DVC_NO_ANALYTICS: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
  for (const k of ['MONGO_DB_URL', 'S3_BUCKET', 'MLFLOW_TRACKING_URI', 'REDIS_URL']) delete env[k];
  const dvc = (...args: string[]): { code: number; out: string } => {
    const r = spawnSync(dvcBin, args, { cwd: repo, env, encoding: 'utf8', maxBuffer: 64 << 20 });
    return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
  };
  const readJson = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(repo, 'stages', name), 'utf8')) as Record<string, unknown>;

  it('export-dvc writes dvc.yaml and params.yaml, and refuses to overwrite them without --force', async () => {
    if (!existsSync(dvcBin)) throw new Error(`no dvc at ${dvcBin}: run \`bash scripts/dvc-venv.sh\` (npm test does)`);
    execFileSync('git', ['init', '-q'], { cwd: repo, env });
    expect(dvc('init', '-q').code).toBe(0);
    mkdirSync(join(repo, 'data'));
    copyFileSync(bundledCsv, join(repo, 'data/phisingData.csv'));
    const r = await runCli(['data', 'export-dvc', '--preset', 'quick', '--seed', '11', '--cli', cli], repo, { NS_HOME: home });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(repo, 'params.yaml'), 'utf8')).toMatch(/^seed: 11$/m);
    const again = await runCli(['data', 'export-dvc', '--cli', cli], repo, { NS_HOME: home });
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/FILE_EXISTS/);
    expect(readFileSync(join(repo, 'params.yaml'), 'utf8')).toMatch(/^preset: quick$/m);
    const early = await runCli(['train', '--stage', 'validate', '--outs', 'stages'], repo, { NS_HOME: home });
    expect(early.code).not.toBe(0);
    expect(early.stderr).toMatch(/STAGE_ORDER[\s\S]*--stage ingest/);
  });

  it('dvc repro runs every stage into one run that registers the champion; the snapshot is the recorded one', () => {
    const r = dvc('repro');
    expect(r.code, r.out).toBe(0);
    for (const s of ['etl', 'ingest', 'validate', 'transform', 'train', 'evaluate', 'push']) expect(r.out).toContain(`Running stage '${s}'`);
    const runIds = new Set(['ingest.json', 'validate.json', 'transform.json', 'train.json', 'evaluate.json', 'push.json'].map((f) => readJson(f)['runId']));
    expect(runIds.size).toBe(1);
    expect(readJson('push.json')).toMatchObject({ version: 1, promoted: true });
    const snapshot = readFileSync(join(repo, 'stages/snapshot.csv'));
    expect(createHash('sha256').update(snapshot).digest('hex')).toBe(readJson('ingest.json')['snapshotSha256']);
    expect(readJson('etl.json')).toMatchObject({ inserted: 11055 });
    expect(createHash('sha256').update(readFileSync(join(repo, 'stages/model.nsm'))).digest('hex')).toBe(readJson('train.json')['bundleSha256']);
  }, 600_000);

  it('a second dvc repro does nothing; dvc dag shows every stage; dvc metrics show reads evaluate', async () => {
    const r = dvc('repro');
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('Data and pipelines are up to date.');
    expect(r.out).not.toContain('Running stage');
    const dag = dvc('dag');
    for (const s of ['etl', 'ingest', 'validate', 'transform', 'train', 'evaluate', 'push']) expect(dag.out).toContain(s);
    expect(dvc('metrics', 'show').out).toMatch(/candidate\.f1Phishing[\s\S]*0\.9\d/);
    const runs = await runCli(['runs', '--json'], repo, { NS_HOME: home });
    expect((JSON.parse(runs.stdout) as { runs: unknown[] }).runs).toHaveLength(1);
  }, 120_000);

  it('a changed parameter re-runs only the stages it touches, in the same run', () => {
    const file = join(repo, 'params.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^tolerance: 0$/m, 'tolerance: 0.001'));
    const r = dvc('repro');
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/Running stage 'evaluate'[\s\S]*Running stage 'push'/);
    for (const s of ['etl', 'ingest', 'validate', 'transform', 'train']) expect(r.out).not.toContain(`Running stage '${s}'`);
    expect(readJson('evaluate.json')['runId']).toBe(readJson('ingest.json')['runId']);
  }, 120_000);

  it('dvc push sends the snapshot and the model to a DVC remote; dvc pull restores them in a clean clone', () => {
    const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
    const remote = tempHome('ns-dvc-remote-');
    expect(dvc('remote', 'add', '-d', 'store', remote).code).toBe(0);
    execFileSync('git', ['add', '-A'], { cwd: repo, env });
    execFileSync('git', ['commit', '-qm', 'pipeline'], { cwd: repo, env });
    const push = dvc('push');
    expect(push.code, push.out).toBe(0);
    expect(readdirSync(remote).length).toBeGreaterThan(0);

    const clone = join(tempHome('ns-dvc-clone-'), 'repo');
    execFileSync('git', ['clone', '-q', repo, clone], { env });
    for (const f of ['snapshot.csv', 'model.nsm']) expect(existsSync(join(clone, 'stages', f))).toBe(false);
    const pull = spawnSync(dvcBin, ['pull', 'ingest', 'train'], { cwd: clone, env, encoding: 'utf8' });
    expect(pull.status, `${pull.stdout}${pull.stderr}`).toBe(0);
    expect(sha(join(clone, 'stages/snapshot.csv'))).toBe(readJson('ingest.json')['snapshotSha256']);
    expect(sha(join(clone, 'stages/model.nsm'))).toBe(readJson('train.json')['bundleSha256']);
  }, 120_000);
});
