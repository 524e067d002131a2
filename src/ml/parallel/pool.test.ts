import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { NsError } from '../../core/errors.js';
import { toShared, WorkerPool } from './pool.js';

const pool = new WorkerPool(1);
afterAll(async () => {
  await pool.close();
});

describe('WorkerPool', () => {
  it('runs a registered task on a worker and turns failures into NsError', async () => {
    await expect(pool.run('no.such.task', {})).rejects.toBeInstanceOf(NsError);
    await expect(pool.run('forest.grow', { seeds: [1] })).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('fails a queued task when its signal is already aborted', async () => {
    const ctl = new AbortController();
    ctl.abort();
    await expect(pool.run('forest.grow', {}, ctl.signal)).rejects.toMatchObject({ code: 'TASK_ABORTED' });
  });

  it('reads the answers of jobs their callers left, on settle, and then runs the next job', async () => {
    let answered = false;
    const job = pool.run('no.such.task', {}).finally(() => (answered = true));
    pool.leave(job);
    expect(answered).toBe(false);
    await pool.settle(5_000);
    expect(answered).toBe(true);
    await expect(pool.run('no.such.task', {})).rejects.toBeInstanceOf(NsError);
  });
});

describe('toShared', () => {
  it('copies onto a SharedArrayBuffer with the same type and values', () => {
    const a = Float64Array.of(1.5, -2, 3);
    const s = toShared(a);
    expect(s).toBeInstanceOf(Float64Array);
    expect(s.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(s)).toEqual([1.5, -2, 3]);
    expect(toShared(s)).toBe(s);
  });

  it('does not keep the process alive with warmed workers that never got a job', () => {
    // A train whose ingest fails after warm() must still exit (it hung before the fix).
    const poolModule = fileURLToPath(new URL('./pool.ts', import.meta.url));
    const script = `const { WorkerPool } = await import(${JSON.stringify(poolModule)}); new WorkerPool(2).warm(); console.log('warmed');`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stdout).toContain('warmed');
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
  }, 40_000);
});
