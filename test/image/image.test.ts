/**
 * The container image, built from the Dockerfile with podman (scripts/image.sh: the stand-in base images,
 * then ours with --pull=never) and run for real: the same image loads data, trains and serves on the
 * embedded defaults with its state on a mounted NS_HOME, /readyz answers once the champion is loaded, a
 * predict over HTTP answers what the image's `predict` command writes, it runs as uid 1000, its
 * HEALTHCHECK passes, and `podman stop` ends it with exit code 0 (SIGTERM handled, not killed).
 */
import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../services/env.js';

const root = resolve(import.meta.dirname, '../..');
const stateDir = '/var/lib/networksecurity';

interface Run { code: number; stdout: string; stderr: string }

function run(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((done) => {
    execFile(file, args, { cwd: root, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

/** The export lines of `scripts/image.sh env` as an environment for podman. */
async function podmanEnv(): Promise<NodeJS.ProcessEnv> {
  const r = await run('bash', ['scripts/image.sh', 'env']);
  expect(r.code, r.stderr).toBe(0);
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const line of r.stdout.split('\n')) {
    const m = /^export ([A-Z_]+)=(.*)$/.exec(line);
    if (m) env[m[1]!] = m[2]!;
  }
  return env;
}

describe('container image', () => {
  let env: NodeJS.ProcessEnv;
  let image: string;
  let home: string;
  let port: number;
  const container = `ns-image-test-${process.pid}`;

  const podman = (args: string[]): Promise<Run> => run('podman', ['--runtime', env.NS_TEST_RUNC!, ...args], env);
  const cli = (args: string[]): Promise<Run> =>
    podman(['run', '--rm', '--network', 'host', '-v', `${home}:${stateDir}`, image, ...args]);

  beforeAll(async () => {
    // Cached: with nothing changed this is podman checking its layer cache (test.sh built it cold).
    const build = await run('bash', ['scripts/image.sh', 'build']);
    expect(build.code, build.stderr).toBe(0);
    env = await podmanEnv();
    image = env.NS_TEST_IMAGE!;
    home = mkdtempSync(join(tmpdir(), 'ns-image-'));
    chownSync(home, 1000, 1000);
    port = await freePort();
  }, 30 * 60_000);

  afterAll(async () => {
    if (env) await podman(['rm', '-f', container]);
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('runs Node from scripts/node.sh, as uid 1000 with the CLI as entrypoint and serve as command', async () => {
    const node = await run('bash', ['scripts/node.sh']);
    const hostVersion = (await run(join(node.stdout.trim(), 'bin/node'), ['--version'])).stdout.trim();
    const inImage = await podman(['run', '--rm', '--entrypoint', 'node', image, '--version']);
    expect(inImage.stdout.trim()).toBe(hostVersion);
    expect(hostVersion).toMatch(/^v24\./);
    const config = await podman(['image', 'inspect', '--format', '{{json .Config}}', image]);
    const c = JSON.parse(config.stdout) as { User: string; Entrypoint: string[]; Cmd: string[]; ExposedPorts: Record<string, unknown>; Volumes: Record<string, unknown> };
    expect(c.User).toBe('node');
    expect(c.Entrypoint).toEqual(['node', '/app/dist/cli/bin.js']);
    expect(c.Cmd).toEqual(['serve']);
    expect(Object.keys(c.ExposedPorts)).toEqual(['8501/tcp']);
    expect(Object.keys(c.Volumes)).toEqual([stateDir]);
    const id = await podman(['run', '--rm', '--entrypoint', 'id', image, '-u']);
    expect(id.stdout.trim()).toBe('1000');
  });

  it('loads, trains, serves; predict over HTTP equals the predict command; stops on SIGTERM with 0', async () => {
    const etl = await cli(['etl', '--source', '/app/data/phisingData.csv']);
    expect(etl.code, etl.stderr).toBe(0);
    const train = await cli(['train', '--preset', 'quick', '--json']);
    expect(train.code, train.stderr).toBe(0);
    expect((JSON.parse(train.stdout) as { champion: number | null }).champion).toBe(1);

    const started = await podman(['run', '-d', '--name', container, '--network', 'host', '-e', `NS_PORT=${port}`, '-e', 'NS_HOST=127.0.0.1', '-v', `${home}:${stateDir}`, image]);
    expect(started.code, started.stderr).toBe(0);
    let ready = 0;
    for (let i = 0; i < 300 && ready !== 200; i++) {
      ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status, () => 0);
      if (ready !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(ready).toBe(200);
    const whoami = await podman(['exec', container, 'node', '-e', 'console.log(process.getuid())']);
    expect(whoami.stdout.trim()).toBe('1000');
    const health = await podman(['healthcheck', 'run', container]);
    expect(health.code, health.stdout + health.stderr).toBe(0);

    const [header, first] = readFileSync(join(root, 'data/phisingData.csv'), 'utf8').split('\n');
    const names = header!.split(',').slice(0, 30);
    const values = first!.split(',').slice(0, 30).map(Number);
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/predict`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ row: Object.fromEntries(names.map((n, i) => [n, values[i]])) }),
    });
    expect(res.status).toBe(200);
    const answer = ((await res.json()) as { modelVersion: number; predictions: { label: number; probPhishing: number }[] });
    expect(answer.modelVersion).toBe(1);

    writeFileSync(join(home, 'one.csv'), `${names.join(',')}\n${values.join(',')}\n`);
    chownSync(join(home, 'one.csv'), 1000, 1000);
    const predict = await cli(['predict', '--input', `${stateDir}/one.csv`, '--output', `${stateDir}/one-scored.csv`]);
    expect(predict.code, predict.stderr).toBe(0);
    const [outHeader, outRow] = readFileSync(join(home, 'one-scored.csv'), 'utf8').trim().split('\n');
    const cells = Object.fromEntries(outHeader!.split(',').map((n, i) => [n, outRow!.split(',')[i]]));
    expect(Number(cells.prediction)).toBe(answer.predictions[0]!.label);
    expect(Number(cells.phishing_probability)).toBeCloseTo(answer.predictions[0]!.probPhishing, 6);

    const t0 = Date.now();
    const stop = await podman(['stop', '--time', '10', container]);
    const stopMs = Date.now() - t0;
    expect(stop.code, stop.stderr).toBe(0);
    const exit = await podman(['inspect', '--format', '{{.State.ExitCode}}', container]);
    // 0, not 137: the server closed on SIGTERM by itself before podman's 10 s kill.
    expect(exit.stdout.trim()).toBe('0');
    const logs = await podman(['logs', container]);
    expect(logs.stderr + logs.stdout).toMatch(/stopping/);
    process.stderr.write(`[image test] podman stop took ${stopMs} ms\n`);
  }, 15 * 60_000);
});
