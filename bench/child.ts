/**
 * Running a bench child process (a peer script or one of our sides): stdout collected, stderr lines
 * passed to the progress log as they come.
 */
import { spawn } from 'node:child_process';

export interface ChildOut {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `cmd args` with extra environment variables (undefined removes one); resolves (never rejects)
 * with its exit code and output.
 */
export function runChild(cmd: string, args: string[], log: (m: string) => void, env: Record<string, string | undefined> = {}): Promise<ChildOut> {
  const merged: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete merged[k];
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: merged });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      for (const line of d.toString().split('\n')) if (line.trim() !== '') log(line.trim());
    });
    child.on('error', (e) => resolve({ code: -1, stdout: '', stderr: e.message }));
    child.on('close', (c) => resolve({ code: c ?? -1, stdout: out, stderr: err }));
  });
}
