/**
 * The Jobs page's reads while Redis is down (a redis-server of this test's own, on its own port): each
 * GET /api/v1/jobs answers REDIS_UNAVAILABLE within 3 s, a read still waiting for Redis is shared by the
 * next requests instead of a new read per request, and once Redis is back the page reads again.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import { NsError } from '../../src/core/errors.js';
import { createContext } from '../../src/main/compose.js';
import type { AppContext } from '../../src/main/context.js';
import { createServerDeps, type ServingState } from '../../src/main/server-deps.js';
import type { PipelineOptions } from '../../src/pipeline/types.js';
import { tempHome } from '../cli/cli-helpers.js';
import { ownRedis, type OwnRedis } from './helpers.js';

let redis: OwnRedis | undefined;
let ctx: AppContext | undefined;
let serving: ServingState | undefined;

afterAll(async () => {
  await serving?.stop();
  await ctx?.close();
  await redis?.stop();
});

describe('Jobs page reads while Redis is down', () => {
  it('answers REDIS_UNAVAILABLE per request but keeps one read pending, and reads again once Redis is back', async () => {
    redis = await ownRedis();
    await redis.start();
    ctx = await createContext(silentLogger, { NS_HOME: tempHome('ns-jobs-down-'), REDIS_URL: `redis://127.0.0.1:${redis.port}`, NS_QUEUE_PREFIX: 'nsjobsdown' });
    const real = ctx.scaleOut!;
    let reads = 0;
    // The real scale-out, counting the reads the Jobs page starts (one jobCounts per queue per read).
    const scale = new Proxy(real, {
      get: (target, key, receiver): unknown => (key === 'jobCounts' ? (name: string) => { reads++; return target.jobCounts(name); } : Reflect.get(target, key, receiver)),
    });
    ctx.scaleOut = scale;
    serving = await createServerDeps(ctx, () => ({}) as PipelineOptions, { pollMs: 3_600_000 });
    const deps = serving.deps;
    const jobs = (): ReturnType<NonNullable<typeof deps.jobs>> => deps.jobs!();
    const queues = scale.queueNames().length;
    expect((await jobs()).queues.map((q) => q.name).sort()).toEqual(scale.queueNames().sort());
    expect(reads).toBe(queues);

    await redis.stop();
    for (let i = 0; i < 3; i++) {
      const err = await jobs().then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(NsError);
      expect((err as NsError).code).toBe('REDIS_UNAVAILABLE');
    }
    // One read started while Redis was down, shared by all three requests.
    expect(reads).toBe(2 * queues);

    await redis.start();
    await expect.poll(async () => (await jobs().then(() => 'ok', () => 'down')), { timeout: 30_000, interval: 500 }).toBe('ok');
    // The shared read has settled: the next request reads anew.
    const before = reads;
    await jobs();
    expect(reads).toBe(before + queues);
  }, 120_000);
});
