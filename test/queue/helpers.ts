/**
 * Helpers of the queue tests: CLI processes (workers, `train --queue`) against the shared Redis of
 * scripts/services.sh, each test file under a key prefix of its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { expect } from 'vitest';
import { freePort, startCli } from '../cli/cli-helpers.js';
import { serviceEnv, uniqueName } from '../services/env.js';

export interface Proc {
  child: ChildProcess;
  /** stdout + stderr so far. */
  output(): string;
  /** Resolves when the output matches `pattern` (rejects after `ms`). */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
  exited: Promise<number>;
}

export function queueEnv(): Record<string, string> {
  return { REDIS_URL: serviceEnv('REDIS_TEST_URL'), NS_QUEUE_PREFIX: uniqueName('nstest13-'), NS_JOB_LOCK_MS: '10000' };
}

export function spawnCli(args: string[], home: string, env: Record<string, string>): Proc {
  const child = startCli(args, home, env);
  let out = '';
  const waiters = new Set<() => void>();
  const onData = (d: Buffer): void => {
    out += d.toString();
    for (const w of waiters) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number>((done) => child.on('close', (code, signal) => done(code ?? (signal === 'SIGKILL' ? 137 : -1))));
  return {
    child, exited,
    output: () => out,
    waitFor(pattern, ms = 120_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const m = out.match(pattern);
          if (m) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(m);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${String(pattern)}; output so far:\n${out}`));
        }, ms);
        waiters.add(check);
        check();
      });
    },
  };
}

/**
 * Waits until the queued run of `client` (`train --queue`) is in its train stage, then SIGKILLs the
 * worker running it; returns the run id and that worker.
 */
export async function killRunOwner(client: Proc, workers: readonly Proc[]): Promise<{ runId: string; owner: Proc }> {
  const [, runId] = await client.waitFor(/run (run-\S+) queued/);
  await client.waitFor(/▶ train/);
  const owner = workers.find((w) => w.output().includes(`job train ${runId} started`));
  expect(owner, 'one worker took the job').toBeDefined();
  owner!.child.kill('SIGKILL');
  expect(await owner!.exited).toBe(137);
  return { runId: runId!, owner: owner! };
}

/** A BullMQ queue handle under the test's prefix (to add raw jobs and clean up). */
export function rawQueue(name: string, env: Record<string, string>): Queue {
  return new Queue(name, { connection: { url: env['REDIS_URL']!, maxRetriesPerRequest: null }, prefix: env['NS_QUEUE_PREFIX']! });
}

/** A `serve` process (quick training preset) on a free port; returns its base URL once it serves. */
export async function serveCli(home: string, env: Record<string, string>, procs: Proc[]): Promise<string> {
  const port = await freePort();
  const p = spawnCli(['serve', '--port', String(port)], home, { NS_TRAIN_PRESET: 'quick', ...env });
  procs.push(p);
  await p.waitFor(/is serving on/, 60_000);
  return `http://127.0.0.1:${port}`;
}

/**
 * A redis-server of the test's own on a free loopback port (the shared one is never stopped), with its
 * data in a temporary folder (append-only file on), so it can be stopped and started again on that port.
 */
export interface OwnRedis {
  readonly port: number;
  start(): Promise<void>;
  /** SIGTERM and wait for the exit; nothing when it is not running. */
  stop(): Promise<void>;
}

export async function ownRedis(extraArgs: string[] = []): Promise<OwnRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ns-redis-'));
  let child: ChildProcess | undefined;
  return {
    port,
    async start() {
      const c = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--appendonly', 'yes', '--save', '', ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
      child = c;
      await new Promise<void>((ready, fail) => {
        let out = '';
        c.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('Ready to accept connections')) ready();
        });
        c.on('exit', (code) => fail(new Error(`redis-server exited with ${code}: ${out}`)));
      });
    },
    async stop() {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      c.kill('SIGTERM');
      await new Promise((done) => c.once('exit', done));
    },
  };
}
