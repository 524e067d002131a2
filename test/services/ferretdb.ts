/**
 * A private FerretDB for fault tests: its own port and data folder, so a test can stop and restart it
 * without touching the shared instance of scripts/services.sh. Uses the binary that script built
 * (FERRETDB_TEST_BIN).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, serviceEnv } from './env.js';

export interface PrivateFerretDb {
  url: string;
  port: number;
  /** Starts (again) on the same port and data folder; resolves when it accepts connections. */
  start(): Promise<void>;
  /** Stops the process and waits for it to exit. */
  stop(): Promise<void>;
  /** Stops it and removes its data folder. */
  dispose(): Promise<void>;
}

async function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(port, '127.0.0.1');
    sock.once('connect', () => { sock.destroy(); resolve(true); });
    sock.once('error', () => resolve(false));
  });
}

/** Starts a FerretDB on a free port with a fresh temporary data folder. */
export async function startPrivateFerretDb(): Promise<PrivateFerretDb> {
  const bin = serviceEnv('FERRETDB_TEST_BIN');
  const dir = mkdtempSync(join(tmpdir(), 'ns-ferretdb-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  let stderr = '';

  const start = async (): Promise<void> => {
    stderr = '';
    const proc = spawn(bin, ['-listen', `127.0.0.1:${port}`, '-dir', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child = proc;
    for (let i = 0; i < 150; i++) {
      if (proc.exitCode !== null) throw new Error(`private FerretDB exited: ${stderr}`);
      if (await accepts(port)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`private FerretDB did not start on port ${port}: ${stderr}`);
  };

  const stop = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGKILL');
    await exited;
  };

  await start();
  return {
    url: `mongodb://127.0.0.1:${port}/`,
    port,
    start,
    stop,
    dispose: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
