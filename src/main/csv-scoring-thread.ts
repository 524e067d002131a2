/**
 * CSV uploads scored off the serving event loop: one worker thread (csv-scoring-thread-entry.ts) reads,
 * validates and scores each upload with the product's batch scorer, and hands back the scored CSV and
 * its summary. The serving thread only passes the upload's bytes on as they arrive (the size limit is
 * still counted there) and sends the answer, so /healthz and other requests are not held up by parsing
 * or scoring. The served model's bundle is sent to the thread once per version and loaded there.
 *
 * @example
 *   const scorer = csvScoringThread(schema, (v) => bundleOf(v));
 *   const { body, summary } = await scorer.score(model.version, limitedUpload(stream, limit));
 */
import type { Worker } from 'node:worker_threads';
import { fromWireError, NsError, type WireError } from '../core/errors.js';
import type { Schema } from '../data/schema.js';
import type { BatchPredictSummary } from '../pipeline/batch-predict.js';
import { startThread } from './training-thread.js';

export type ScoringRequest =
  | { type: 'model'; version: number; bytes: Uint8Array; bundleSha256: string; keep: number[] }
  | { type: 'start'; id: number; version: number }
  | { type: 'chunk'; id: number; data: Uint8Array }
  | { type: 'end'; id: number }
  | { type: 'abort'; id: number };

export type ScoringReply =
  | { type: 'model'; version: number; error?: WireError }
  | { type: 'done'; id: number; body: Uint8Array; summary: BatchPredictSummary }
  | { type: 'error'; id: number; error: WireError };

export interface CsvScoringThread {
  /** Scores the CSV in `source` on model `version`; rejects with the scorer's NsError (a row cap, a bad header …). */
  score(version: number, source: AsyncIterable<Uint8Array | string>): Promise<{ body: Uint8Array; summary: BatchPredictSummary }>;
  /** Ends the thread; uploads in progress fail. */
  close(): Promise<void>;
}

/**
 * The scoring thread, started on the first upload. `bundle(version)` gives a registered version's
 * bundle bytes and recorded sha256 (the thread checks them as `predict` does).
 */
export function csvScoringThread(schema: Schema, bundle: (version: number) => Promise<{ bytes: Uint8Array; bundleSha256: string }>): CsvScoringThread {
  let worker: Worker | undefined;
  let nextId = 1;
  const jobs = new Map<number, { version: number; settle: (m: ScoringReply | Error) => void }>();
  const models = new Map<number, Promise<void>>();
  const modelWaits = new Map<number, (error?: WireError) => void>();

  const failAll = (e: Error): void => {
    for (const job of jobs.values()) job.settle(e);
    for (const wait of modelWaits.values()) wait({ code: 'SCORING_THREAD_EXITED', message: e.message, kind: 'internal', httpStatus: 500 });
    jobs.clear();
    models.clear();
    worker = undefined;
  };
  const thread = (): Worker => {
    if (worker) return worker;
    const w = startThread('csv-scoring-thread-entry', { schema });
    w.unref();
    w.on('message', (m: ScoringReply) => {
      if (m.type === 'model') modelWaits.get(m.version)?.(m.error);
      else jobs.get(m.id)?.settle(m);
    });
    w.on('error', (e) => failAll(e));
    w.on('exit', (code) => { if (worker === w) failAll(new NsError('SCORING_THREAD_EXITED', `The CSV scoring thread stopped (exit code ${code}).`, { kind: 'internal', hint: 'Send the file again.' })); });
    worker = w;
    return w;
  };
  const loadModel = (version: number): Promise<void> => {
    let loaded = models.get(version);
    if (!loaded) {
      loaded = bundle(version).then(({ bytes, bundleSha256 }) => new Promise<void>((done, fail) => {
        modelWaits.set(version, (error) => { modelWaits.delete(version); if (error) fail(fromWireError(error)); else done(); });
        const keep = [...new Set([...jobs.values()].map((j) => j.version))];
        thread().postMessage({ type: 'model', version, bytes, bundleSha256, keep } satisfies ScoringRequest);
      }));
      loaded.catch(() => models.delete(version));
      // Only the newest version is kept loaded (versions in use by uploads stay in the thread until they end).
      for (const v of models.keys()) if (v !== version) models.delete(v);
      models.set(version, loaded);
    }
    return loaded;
  };

  return {
    async score(version, source) {
      await loadModel(version);
      const w = thread();
      const id = nextId++;
      let failed: Error | undefined;
      const result = new Promise<{ body: Uint8Array; summary: BatchPredictSummary }>((resolve, reject) => {
        jobs.set(id, {
          version,
          settle: (m) => {
            jobs.delete(id);
            if (m instanceof Error) { failed = m; reject(m); } else if (m.type === 'done') resolve({ body: m.body, summary: m.summary });
            else if (m.type === 'error') { failed = fromWireError(m.error); reject(failed); }
          },
        });
      });
      w.postMessage({ type: 'start', id, version } satisfies ScoringRequest);
      try {
        for await (const chunk of source) {
          // The scorer stopped early (a row over the cap, a bad header): the rest of the upload is not needed.
          if (failed) break;
          // A copy of just this chunk, moved (not cloned) to the thread: a slice of a socket buffer would clone the whole buffer.
          const data = new Uint8Array(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
          w.postMessage({ type: 'chunk', id, data } satisfies ScoringRequest, [data.buffer]);
        }
      } catch (e) {
        // Reading the upload failed (over the size limit, a cut-off body): the thread drops this upload.
        w.postMessage({ type: 'abort', id } satisfies ScoringRequest);
        jobs.delete(id);
        result.catch(() => undefined);
        throw e;
      }
      w.postMessage({ type: 'end', id } satisfies ScoringRequest);
      return result;
    },
    async close() {
      const w = worker;
      worker = undefined;
      if (w) await w.terminate();
      failAll(new NsError('SCORING_THREAD_EXITED', 'The server is stopping.', { kind: 'unavailable', hint: 'Send the file again once the server is back.' }));
    },
  };
}
