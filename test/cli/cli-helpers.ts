/**
 * Runs the real CLI (TypeScript sources through tsx) in a child process with its own NS_HOME, so
 * tests see exactly what a user sees: stdout, stderr and the exit code.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const root = resolve(import.meta.dirname, '../..');
export const bundledCsv = join(root, 'data/phisingData.csv');
/** tsx by absolute URL: the CLI runs with a temporary folder as its working directory. */
const tsxLoader = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;

export interface CliResult { code: number; stdout: string; stderr: string }

export function tempHome(prefix = 'ns-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

function cleanEnv(home: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NS_HOME: home, ...extra };
  for (const k of ['MONGO_DB_URL', 'S3_BUCKET', 'MLFLOW_TRACKING_URI', 'REDIS_URL', 'NS_API_TOKEN']) if (!(k in extra)) delete env[k];
  return env;
}

export function startCli(args: string[], home: string, extra: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', tsxLoader, join(root, 'src/cli/bin.ts'), ...args], { cwd: home, env: cleanEnv(home, extra), stdio: ['ignore', 'pipe', 'pipe'] });
}

export function runCli(args: string[], home: string, extra: Record<string, string> = {}): Promise<CliResult> {
  const child = startCli(args, home, extra);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((done) => child.on('close', (code) => done({ code: code ?? -1, stdout, stderr })));
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves with the stderr so far once a `serve` / `up` child says it is serving; rejects when it exits first. */
export function untilServing(child: ChildProcess): Promise<string> {
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes('is serving on')) resolve(stderr);
    });
    child.on('close', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
  });
}

/** Kills `child` with SIGKILL as soon as its stderr contains `marker`; rejects when it ends first. */
export async function killWhen(child: ChildProcess, marker: string): Promise<string> {
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes(marker)) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.on('close', () => reject(new Error(`the command ended before "${marker}": ${stderr}`)));
  });
  await new Promise((r) => child.on('close', r));
  return stderr;
}
