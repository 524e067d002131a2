/**
 * scripts/deploy.sh, the release workflow's last step, against a stand-in `docker` (it records its calls
 * and "deploys" the tag that .env names) and a /readyz that answers 200 for good tags and 503 for the tag
 * "v-broken": a good tag stays with the new compose file; a broken one is rolled back to the previous
 * tag and compose file, with the other .env lines (the secrets) kept.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const script = resolve(import.meta.dirname, '../../scripts/deploy.sh');
let server: Server;
let readyUrl: string;
const dirs: string[] = [];

/** The tag the stand-in docker last started in `dir`. */
const deployedTag = (dir: string): string => (existsSync(join(dir, 'deployed')) ? readFileSync(join(dir, 'deployed'), 'utf8').trim() : '');
let currentDir = '';

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.statusCode = deployedTag(currentDir) === 'v-broken' || deployedTag(currentDir) === '' ? 503 : 200;
    res.end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  readyUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/readyz`;
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function serverDir(): { dir: string; docker: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ns-deploy-'));
  dirs.push(dir);
  writeFileSync(join(dir, '.env'), 'NS_API_TOKEN=secret-token-1\nNS_IMAGE=ghcr.io/acme/networksecurity\nNS_IMAGE_TAG=v1.0.0\n');
  writeFileSync(join(dir, 'compose.yaml'), '# old\n');
  writeFileSync(join(dir, 'compose.yaml.next'), '# new\n');
  mkdirSync(join(dir, 'bin'));
  const docker = join(dir, 'bin/docker');
  writeFileSync(docker, [
    '#!/usr/bin/env bash',
    'echo "$*" >>calls.log',
    'if [ "$1 $2" = "compose up" ]; then sed -n "s/^NS_IMAGE_TAG=//p" .env >deployed; fi',
  ].join('\n') + '\n');
  chmodSync(docker, 0o755);
  return { dir, docker };
}

function deploy(dir: string, docker: string, args: string[]): Promise<{ code: number; stderr: string }> {
  currentDir = dir;
  const env = { ...process.env, DOCKER: docker, NS_DEPLOY_READY_URL: readyUrl, NS_DEPLOY_READY_SECONDS: '3' };
  return new Promise((done) => {
    execFile('bash', [script, ...args], { env }, (error, _stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stderr });
    });
  });
}

const read = (dir: string, name: string): string => readFileSync(join(dir, name), 'utf8');

describe('scripts/deploy.sh', () => {
  it('deploys a tag that becomes ready and keeps the new compose file', async () => {
    const { dir, docker } = serverDir();
    const r = await deploy(dir, docker, [dir, 'ghcr.io/acme/networksecurity', 'v1.1.0']);
    expect(r.code, r.stderr).toBe(0);
    expect(read(dir, '.env')).toBe('NS_API_TOKEN=secret-token-1\nNS_IMAGE=ghcr.io/acme/networksecurity\nNS_IMAGE_TAG=v1.1.0\n');
    expect(read(dir, 'compose.yaml')).toBe('# new\n');
    expect(existsSync(join(dir, 'compose.yaml.previous'))).toBe(false);
    expect(read(dir, 'calls.log')).toBe('compose pull --quiet app worker\ncompose up -d --remove-orphans\n');
    expect(deployedTag(dir)).toBe('v1.1.0');
  });

  it('rolls back to the previous tag and compose file when /readyz does not answer 200', async () => {
    const { dir, docker } = serverDir();
    const r = await deploy(dir, docker, [dir, 'ghcr.io/acme/networksecurity', 'v-broken']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/rolled back to ghcr.io\/acme\/networksecurity:v1.0.0/);
    expect(read(dir, '.env')).toBe('NS_API_TOKEN=secret-token-1\nNS_IMAGE=ghcr.io/acme/networksecurity\nNS_IMAGE_TAG=v1.0.0\n');
    expect(read(dir, 'compose.yaml')).toBe('# old\n');
    expect(read(dir, 'calls.log').split('\n').filter(Boolean)).toEqual([
      'compose pull --quiet app worker', 'compose up -d --remove-orphans',
      'compose pull --quiet app worker', 'compose up -d --remove-orphans',
    ]);
    expect(deployedTag(dir)).toBe('v1.0.0');
  });

  it('stops the stack and fails when the first deployment does not come up', async () => {
    const { dir, docker } = serverDir();
    writeFileSync(join(dir, '.env'), 'NS_API_TOKEN=secret-token-1\n');
    const r = await deploy(dir, docker, [dir, 'ghcr.io/acme/networksecurity', 'v-broken']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no previous tag/);
    expect(read(dir, 'calls.log').trim().split('\n').at(-1)).toBe('compose down');
  });

  it('exits 2 on bad usage', async () => {
    const { dir, docker } = serverDir();
    expect((await deploy(dir, docker, [dir])).code).toBe(2);
  });
});
