/**
 * A private `mlflow server` for tests that stop and restart it (the shared one must stay up): SQLite
 * backend and served artifacts in a temporary folder, a free loopback port kept across restarts.
 * The server runs in its own process group, so stopping it ends its workers too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mlflowTestCli, repoRoot } from './env.js';

export interface PrivateMlflow {
  uri: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  dispose(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function healthy(uri: string): Promise<boolean> {
  try {
    return (await fetch(`${uri}/health`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

/** Creates (but does not start) a private server; reuses the services script's migrated template DB when present. */
export async function createPrivateMlflow(): Promise<PrivateMlflow> {
  const dir = mkdtempSync(join(tmpdir(), 'ns-mlflow-private-'));
  const cache = join(repoRoot, '.cache');
  const template = existsSync(cache) ? readdirSync(cache).find((f) => /^mlflow-template-.*\.db$/.test(f)) : undefined;
  if (template) copyFileSync(join(cache, template), join(dir, 'mlflow.db'));
  const port = await freePort();
  const uri = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const stop = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc?.pid) return;
    const exited = new Promise<void>((resolve) => { if (proc.exitCode !== null) resolve(); else proc.once('exit', () => resolve()); });
    try { process.kill(-proc.pid, 'SIGTERM'); } catch { /* already gone */ }
    await Promise.race([exited, sleep(5000)]);
    try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* already gone */ }
    await exited;
    for (let i = 0; i < 50 && (await healthy(uri)); i++) await sleep(100);
  };

  return {
    uri,
    async start() {
      const log = openSync(join(dir, 'server.log'), 'a');
      child = spawn(mlflowTestCli(), ['server', '--backend-store-uri', `sqlite:///${join(dir, 'mlflow.db')}`, '--artifacts-destination', join(dir, 'artifacts'),
        '--host', '127.0.0.1', '--port', String(port), '--workers', '1'], { detached: true, stdio: ['ignore', log, log] });
      const deadline = Date.now() + 90_000;
      while (!(await healthy(uri))) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`private mlflow server did not start; see ${join(dir, 'server.log')}`);
        await sleep(200);
      }
    },
    stop,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
