/**
 * Runs the real CLI (TypeScript sources through tsx) in a child process with its own NS_HOME, so
 * tests see exactly what a user sees: stdout, stderr and the exit code.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
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
  for (const k of ['MONGO_DB_URL', 'NS_STATE_URL', 'S3_BUCKET', 'MLFLOW_TRACKING_URI', 'REDIS_URL', 'NS_API_TOKEN']) if (!(k in extra)) delete env[k];
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

/**
 * dist/cli/bin.js, the executable a user runs; built first (`npm run build:server`) when it is missing
 * or older than a source file (npm test builds it before the tests).
 */
export function builtCli(): string {
  const bin = join(root, 'dist/cli/bin.js');
  const src = join(root, 'src');
  const stale = !existsSync(bin) || readdirSync(src, { recursive: true, encoding: 'utf8' })
    .some((f) => f.endsWith('.ts') && !f.startsWith('ui') && statSync(join(src, f)).mtimeMs > statSync(bin).mtimeMs);
  if (stale) execFileSync('npm', ['run', 'build:server'], { cwd: root, stdio: 'ignore' });
  return bin;
}

/** Runs `node <bin> ...args` in `cwd` with exactly `env` (plus PATH), as a user's shell would. */
export function runBuilt(bin: string, args: string[], cwd: string, env: Record<string, string>): Promise<CliResult> {
  const child = spawn(process.execPath, [bin, ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((done) => child.on('close', (code) => done({ code: code ?? -1, stdout, stderr })));
}
