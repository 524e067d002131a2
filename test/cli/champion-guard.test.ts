/**
 * The champion only moves to a version that loads (issue 18, item 4), and `serve` stays up when the
 * champion does not load, with /readyz saying why, so the operator can roll back from the UI. Also
 * `serve`'s listen failures (port in use, an address not of this machine) are typed errors, exit 2.
 */
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bundledCsv, runCli, startCli, tempHome } from './cli-helpers.js';

interface ModelsJson { champion: number | null; versions: { version: number; bundleKey: string }[] }

const servers: ChildProcess[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.kill('SIGKILL');
});

/** Starts `serve` on a free port and resolves with its base URL and what it printed. */
function serve(home: string): Promise<{ url: string; stderr: () => string; child: ChildProcess }> {
  const child = startCli(['serve', '--port', '0'], home);
  servers.push(child);
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /serving on (http:\/\/\S+)/.exec(stderr);
      if (m) resolve({ url: m[1]!, stderr: () => stderr, child });
    });
    child.on('close', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
}

const post = (url: string): Promise<Response> => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });

describe('moving the champion to a version that cannot load', () => {
  it('is refused by the CLI (exit 2) and the API (409), and serve starts with /readyz 503 on a bad champion', async () => {
    const home = tempHome();
    expect((await runCli(['etl', '--source', bundledCsv], home)).code).toBe(0);
    expect((await runCli(['train', '--preset', 'quick'], home)).code).toBe(0);
    // A tolerance of 1 accepts the second run, so v2 becomes champion with v1 before it.
    expect((await runCli(['train', '--preset', 'quick', '--fresh', '--seed', '7', '--tolerance', '1'], home)).code).toBe(0);
    const models = JSON.parse((await runCli(['models', 'list', '--json'], home)).stdout) as ModelsJson;
    expect(models.champion).toBe(2);
    const bundle = (v: number): string => join(home, 'artifacts', models.versions.find((m) => m.version === v)!.bundleKey);
    writeFileSync(bundle(1), 'not a model');

    for (const args of [['models', 'rollback'], ['models', 'promote', '1']]) {
      const r = await runCli(args, home);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^MODEL_UNLOADABLE: Model v1 cannot be served, so the champion stays where it is \(BUNDLE_CHECKSUM: /m);
    }
    expect((JSON.parse((await runCli(['models', 'list', '--json'], home)).stdout) as ModelsJson).champion).toBe(2);

    const first = await serve(home);
    for (const path of ['/api/v1/models/1/promote', '/api/v1/models/rollback']) {
      const res = await post(first.url + path);
      expect(res.status).toBe(409);
      expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'MODEL_UNLOADABLE', message: expect.stringMatching(/BUNDLE_CHECKSUM/) as unknown });
    }
    expect(((await (await fetch(`${first.url}/readyz`)).json()) as { modelVersion: number }).modelVersion).toBe(2);
    // Downloads: v2 as stored (no token configured: a read from this machine is allowed); damaged v1 is refused.
    const good = await fetch(`${first.url}/api/v1/models/2/bundle`);
    expect(good.status).toBe(200);
    const bytes = Buffer.from(await good.arrayBuffer());
    expect(bytes.equals(readFileSync(bundle(2)))).toBe(true);
    expect(good.headers.get('x-bundle-sha256')).toBe(createHash('sha256').update(bytes).digest('hex'));
    const bad = await fetch(`${first.url}/api/v1/models/1/bundle`);
    expect(bad.status).toBe(409);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('BUNDLE_CHECKSUM');

    // The port is taken now: a second serve on it is a typed error.
    const port = new URL(first.url).port;
    const busy = await runCli(['serve', '--port', port], home);
    expect(busy.code).toBe(2);
    expect(busy.stderr).toMatch(new RegExp(`^PORT_IN_USE: Port ${port} on 127\\.0\\.0\\.1 is already in use\\.`, 'm'));
    first.child.kill('SIGKILL');

    // The champion itself breaks: serve still starts, says why, and /readyz answers 503 with the reason.
    writeFileSync(bundle(2), 'not a model either');
    const second = await serve(home);
    const ready = await fetch(`${second.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'CHAMPION_UNLOADABLE', message: expect.stringMatching(/BUNDLE_CHECKSUM/) as unknown });
    expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
    expect(second.stderr()).toMatch(/warning: the champion cannot be served \(BUNDLE_CHECKSUM/);
  }, 600_000);

  it('serve on an address that is not of this machine stops with BAD_HOST, exit 2', async () => {
    const r = await runCli(['serve', '--port', '0'], tempHome(), { NS_HOST: '192.0.2.1' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^BAD_HOST: Cannot listen on 192\.0\.2\.1/m);
  });
});
