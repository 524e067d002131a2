/**
 * Batch scoring on queue workers (`predict --input … --output … --queue`): the file is cut into shards
 * of rows (pipeline/batch-shards.ts) that go to the artifact store under `batches/<batch>/`, one
 * `predict` job per shard scores it on a worker (the same streamed path as `predict` without --queue)
 * and stores its output and summary there, and this process merges the scored shards in input order
 * into one output (local file or s3://), written whole or not at all (main/outputs.ts).
 *
 * Resumable: the batch id is a hash of the input (path, size and modification time for a local file),
 * the output, the model version and the options, so running the same command again after a crash
 * finds the shards already scored (their summary is written after their output) and scores only the
 * rest; a shard whose worker died is retaken by another worker (stalled-job detection). The staging
 * keys are deleted once the output is complete.
 */
import { Readable } from 'node:stream';
import { NsError } from '../core/errors.js';
import { redactUrlCredentials } from '../core/redact.js';
import { sha256 } from '../core/hash.js';
import { predictCsvStream, type BatchPredictSummary } from '../pipeline/batch-predict.js';
import { mergeSummaries, splitCsvShards } from '../pipeline/batch-shards.js';
import type { Predictor } from '../pipeline/predictor.js';
import type { JobHandler } from '../ports/job-queue.js';
import { findVersion, requireModel } from './champion.js';
import type { AppContext } from './context.js';
import { writeOutput } from './outputs.js';
import type { ScaleOut } from './scale-out.js';
import { openSource, sourceStamp } from './sources.js';

export const PREDICT_QUEUE = 'predict';
export const DEFAULT_SHARD_ROWS = 50_000;

/** One shard to score: where it is, which model, and the line its header stands for in the whole file. */
export interface ShardJob {
  batch: string;
  index: number;
  firstLine: number;
  version: number;
  strict: boolean;
}

/**
 * A scored shard's summary, with the time its scoring took on the worker — reading its rows, scoring
 * them and writing the output as it is produced, as the inline `predict` does (the rest of the job is
 * the queue's overhead) — and, in the job's result, that overhead's parts: waiting for the model
 * (loaded once per worker and version), reading the shard from the store, and putting the output in
 * place and writing the summary.
 */
export type ShardResult = BatchPredictSummary & { scoringMs: number; modelMs?: number; readMs?: number; writeMs?: number };

const pad = (i: number): string => String(i).padStart(6, '0');
const batchDir = (batch: string): string => `batches/${batch}`;
const inKey = (batch: string, i: number): string => `${batchDir(batch)}/in-${pad(i)}.csv`;
const outKey = (batch: string, i: number): string => `${batchDir(batch)}/out-${pad(i)}.csv`;
const doneKey = (batch: string, i: number): string => `${batchDir(batch)}/out-${pad(i)}.json`;
const manifestKey = (batch: string): string => `${batchDir(batch)}/manifest.json`;

interface BatchManifest { shards: number; firstLines: number[] }

/** The models each context's shard jobs loaded, by version: loaded once per worker, not per job. */
const shardModels = new WeakMap<AppContext, Map<number, Promise<Predictor>>>();

function shardModel(ctx: AppContext, version: number): Promise<Predictor> {
  let models = shardModels.get(ctx);
  if (!models) shardModels.set(ctx, (models = new Map<number, Promise<Predictor>>()));
  let model = models.get(version);
  if (!model) {
    model = requireModel(ctx, version);
    model.catch(() => models.delete(version));
    models.set(version, model);
  }
  return model;
}

/**
 * Loads the champion for the shard jobs before the worker takes any (so its first shard does not wait
 * for it); the version it loaded, or undefined when there is no champion yet.
 */
export async function preloadShardModel(ctx: AppContext): Promise<number | undefined> {
  const mv = await findVersion(ctx);
  if (!mv) return undefined;
  await shardModel(ctx, mv.version);
  return mv.version;
}

/** The job handler of the `predict` queue. */
export function shardHandler(ctx: AppContext): JobHandler<ShardJob, ShardResult> {
  return async (job) => {
    if (typeof job?.batch !== 'string' || !/^[0-9a-f]{8,64}$/.test(job.batch) || !Number.isInteger(job.index) || !Number.isInteger(job.firstLine) || !Number.isInteger(job.version)) {
      throw new NsError('JOB_INPUT_INVALID', 'A predict job needs a batch id (hex), a shard index, its first line and a model version.', { hint: 'Enqueue batch scoring with `networksecurity predict --queue`.' });
    }
    const tModel = performance.now();
    const predictor = await shardModel(ctx, job.version);
    const tRead = performance.now();
    const text = await ctx.artifacts.get(inKey(job.batch, job.index));
    const t0 = performance.now();
    let t1 = t0;
    const { value: summary } = await ctx.artifacts.putFrom(outKey(job.batch, job.index), async (write) => {
      const scored = await predictCsvStream(Readable.from([text]), ctx.schema, predictor, { strict: job.strict, firstLine: job.firstLine, header: job.index === 0 }, write);
      t1 = performance.now();
      return scored;
    });
    const result: ShardResult = { ...summary, scoringMs: t1 - t0 };
    await ctx.artifacts.put(doneKey(job.batch, job.index), JSON.stringify(result));
    return { ...result, modelMs: tRead - tModel, readMs: t0 - tRead, writeMs: performance.now() - t1 };
  };
}

export interface QueuedPredictOptions {
  input: string;
  output: string;
  version?: number;
  strict: boolean;
  shardRows: number;
  /** How long Redis may stay unreachable before the batch stops with REDIS_UNAVAILABLE (default 60 s). */
  redisWaitMs?: number;
}

export const DEFAULT_REDIS_WAIT_MS = 60_000;

export interface QueuedPredictResult extends BatchPredictSummary {
  model: number;
  batch: string;
  shards: number;
  /** Shards scored by an earlier, interrupted run of the same command (not scored again). */
  reused: number;
}

async function readJson<T>(ctx: AppContext, key: string): Promise<T | undefined> {
  if (!(await ctx.artifacts.exists(key))) return undefined;
  return JSON.parse(new TextDecoder().decode(await ctx.artifacts.get(key))) as T;
}

/**
 * Follows Redis while a batch waits on it: `notice` says once that it cannot be reached (URL without
 * its password) and again when it is back; `failed` rejects with REDIS_UNAVAILABLE when it stays
 * unreachable longer than `waitMs`. `backUp` says it is back when the batch got through Redis before
 * the watch's own connection noticed (its reconnect waits up to 1 s).
 */
function redisWatch(scale: ScaleOut, waitMs: number, notice: (line: string) => void): { failed: Promise<never>; error(): NsError | undefined; backUp(): void; stop(): void } {
  const url = redactUrlCredentials(scale.target.url);
  const seconds = Math.round(waitMs / 100) / 10;
  let timer: NodeJS.Timeout | undefined;
  let error: NsError | undefined;
  let down = false;
  let fail: (e: NsError) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => undefined);
  const back = (): void => {
    if (!down) return;
    down = false;
    notice(`Redis ${url} is reachable again; the batch goes on`);
  };
  const stop = scale.watchRedis((up, reason) => {
    clearTimeout(timer);
    if (up) {
      back();
      return;
    }
    down = true;
    notice(`Redis ${url} cannot be reached (${redactUrlCredentials(reason)}); waiting up to ${seconds} s for it`);
    timer = setTimeout(() => {
      error = new NsError('REDIS_UNAVAILABLE', `Redis ${url} could not be reached for ${seconds} s, so the batch stopped before its output was written.`, {
        kind: 'unavailable', hint: 'Start Redis (or fix REDIS_URL) and run the same command again: the shards already scored are kept.',
      });
      fail(error);
    }, waitMs);
  });
  return { failed, error: () => error, backUp: back, stop: () => { clearTimeout(timer); stop(); } };
}

/** Scores `input` on the workers and writes `output`; `onShard` is called as shards complete, `notice` with news about Redis. */
export async function predictQueued(ctx: AppContext, opts: QueuedPredictOptions, onShard: (done: number, known: number, splitDone: boolean) => void, notice: (line: string) => void = () => undefined): Promise<QueuedPredictResult> {
  const scale = ctx.scaleOut;
  if (!scale) throw new NsError('REDIS_REQUIRED', '--queue scores the file on workers through Redis, and REDIS_URL is not set.', { kind: 'config', hint: 'Set REDIS_URL and start `networksecurity worker`, or run without --queue.' });
  const watch = redisWatch(scale, opts.redisWaitMs ?? DEFAULT_REDIS_WAIT_MS, notice);
  try {
    const result = await scoreOnWorkers(ctx, scale, opts, onShard, watch);
    watch.backUp();
    return result;
  } finally {
    watch.stop();
  }
}

async function scoreOnWorkers(ctx: AppContext, scale: ScaleOut, opts: QueuedPredictOptions, onShard: (done: number, known: number, splitDone: boolean) => void, watch: ReturnType<typeof redisWatch>): Promise<QueuedPredictResult> {
  const bounded = <T>(p: Promise<T>): Promise<T> => Promise.race([p, watch.failed]);
  const mv = await findVersion(ctx, opts.version);
  if (!mv) {
    if (opts.version !== undefined) throw new NsError('MODEL_NOT_FOUND', `There is no model version ${opts.version}.`, { kind: 'not_found', hint: 'List versions with `networksecurity models list`.' });
    throw new NsError('NO_CHAMPION', 'There is no champion model yet.', { kind: 'not_found', hint: 'Train one first: networksecurity train' });
  }
  const batch = sha256(JSON.stringify({ input: opts.input, output: opts.output, version: mv.version, strict: opts.strict, shardRows: opts.shardRows, stamp: await sourceStamp(opts.input, ctx.config) })).slice(0, 24);
  // A shard that failed in an earlier attempt of this batch is tried again; so is one whose job
  // completed but whose result is gone (the same command run again after it finished: its files were
  // cleaned up, and BullMQ would otherwise hand back the old job's result without scoring).
  for (const j of await bounded(scale.listJobs(PREDICT_QUEUE, ['failed', 'completed'], 10_000))) {
    if (!j.id.startsWith(`${batch}-`)) continue;
    const index = Number(j.id.slice(batch.length + 1));
    if (j.state === 'failed' || !(await ctx.artifacts.exists(doneKey(batch, index)))) await bounded(scale.removeJob(PREDICT_QUEUE, j.id));
  }

  let done = 0;
  let reused = 0;
  let known = 0;
  let splitDone = false;
  const score = async (index: number, firstLine: number): Promise<ShardResult> => {
    const earlier = await readJson<ShardResult>(ctx, doneKey(batch, index));
    const result = earlier ?? await ctx.queue.run<ShardJob, ShardResult>(PREDICT_QUEUE, { batch, index, firstLine, version: mv.version, strict: opts.strict }, { jobId: `${batch}-${index}` });
    if (earlier) reused++;
    onShard(++done, known, splitDone);
    return result;
  };
  const pending: Promise<ShardResult>[] = [];
  const track = (p: Promise<ShardResult>): void => {
    p.catch(() => undefined);
    pending.push(p);
  };
  const manifest = await readJson<BatchManifest>(ctx, manifestKey(batch));
  if (manifest) {
    known = manifest.shards;
    splitDone = true;
    manifest.firstLines.forEach((line, i) => track(score(i, line)));
  } else {
    const firstLines: number[] = [];
    for await (const shard of splitCsvShards(await openSource(opts.input, ctx.config), ctx.schema, opts.shardRows)) {
      const down = watch.error();
      if (down) throw down;
      await ctx.artifacts.put(inKey(batch, shard.index), shard.text);
      firstLines.push(shard.firstLine);
      known++;
      track(score(shard.index, shard.firstLine));
    }
    splitDone = true;
    await ctx.artifacts.put(manifestKey(batch), JSON.stringify({ shards: firstLines.length, firstLines } satisfies BatchManifest));
  }
  const results = await bounded(Promise.all(pending));
  const summary = await writeOutput(opts.output, ctx.config, async (write) => {
    for (let i = 0; i < results.length; i++) await write(await ctx.artifacts.get(outKey(batch, i)));
    return mergeSummaries(results);
  });
  await ctx.artifacts.deleteAll(`${batchDir(batch)}/`);
  return { ...summary, model: mv.version, batch, shards: results.length, reused };
}
