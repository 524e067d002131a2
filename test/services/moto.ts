/**
 * A private moto S3 server for fault tests (stop it, or make it check credentials) without touching
 * the shared one of scripts/services.sh. Uses that script's venv (SERVICES_TEST_VENV).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort, serviceEnv } from './env.js';

export interface PrivateMoto {
  endpoint: string;
  stop(): Promise<void>;
}

export interface PrivateMotoOptions {
  /** Reject requests signed with keys moto does not know (moto's IAM auth, after 0 free actions). */
  checkCredentials?: boolean;
}

/** Starts moto_server on a free port; resolves when it answers HTTP. */
export async function startPrivateMoto(options: PrivateMotoOptions = {}): Promise<PrivateMoto> {
  const port = await freePort();
  const moto = await startMotoOnPort(port, options);
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => moto.stop() };
}

/** Starts moto_server (the SERVICES_TEST_VENV one) on this port; resolves when it answers HTTP. */
export async function startMotoOnPort(port: number, options: PrivateMotoOptions = {}): Promise<{ stop(): Promise<void> }> {
  const bin = join(serviceEnv('SERVICES_TEST_VENV'), 'bin', 'moto_server');
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (options.checkCredentials) env.INITIAL_NO_AUTH_ACTION_COUNT = '0';
  let log = '';
  const child: ChildProcess = spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  // moto logs every request on stderr: keep reading it (a full pipe would block the server), keep the tail.
  child.stderr?.on('data', (d: Buffer) => { log = (log + d.toString()).slice(-4000); });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  };
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`moto exited on port ${port}: ${log}`);
    try {
      await fetch(`http://127.0.0.1:${port}/moto-api/data.json`);
      return { stop };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await stop();
  throw new Error(`moto did not start on port ${port}: ${log}`);
}
