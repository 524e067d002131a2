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
  const bin = join(serviceEnv('SERVICES_TEST_VENV'), 'bin', 'moto_server');
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (options.checkCredentials) env.INITIAL_NO_AUTH_ACTION_COUNT = '0';
  let stderr = '';
  const child: ChildProcess = spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  };
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`private moto exited: ${stderr}`);
    try {
      await fetch(`${endpoint}/moto-api/data.json`);
      return { endpoint, stop };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await stop();
  throw new Error(`private moto did not start on port ${port}: ${stderr}`);
}
