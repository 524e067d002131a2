/**
 * The CSV scoring thread (see csv-scoring-thread.ts): reads, validates and scores CSV uploads with the
 * product's one batch scorer (predictCsvStream) on the served model, so the server's event loop only
 * moves the upload's bytes. Several uploads may be in progress at once, each under its own id.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toWireError } from '../core/errors.js';
import type { Schema } from '../data/schema.js';
import { predictCsvStream } from '../pipeline/batch-predict.js';
import { Predictor } from '../pipeline/predictor.js';
import type { ScoringReply, ScoringRequest } from './csv-scoring-thread.js';

const { schema } = workerData as { schema: Schema };
const models = new Map<number, Predictor>();
const post = (m: ScoringReply, transfer: ArrayBuffer[] = []): void => parentPort!.postMessage(m, transfer);

/** The bytes of one upload as they arrive from the serving thread. */
class Inbox {
  private readonly chunks: Uint8Array[] = [];
  private ended = false;
  private aborted = false;
  private wake: (() => void) | undefined;

  push(chunk: Uint8Array): void { this.chunks.push(chunk); this.wake?.(); }
  end(): void { this.ended = true; this.wake?.(); }
  abort(): void { this.aborted = true; this.wake?.(); }

  async *read(): AsyncGenerator<Uint8Array, void, undefined> {
    for (;;) {
      if (this.aborted) throw new Error('upload aborted');
      const next = this.chunks.shift();
      if (next) yield next;
      else if (this.ended) return;
      else await new Promise<void>((r) => { this.wake = r; });
      this.wake = undefined;
    }
  }
}

const inboxes = new Map<number, Inbox>();

async function score(id: number, version: number, inbox: Inbox): Promise<void> {
  try {
    const model = models.get(version);
    if (!model) throw new Error(`model v${version} was not sent to the scoring thread`);
    const out: string[] = [];
    const summary = await predictCsvStream(inbox.read(), schema, model, { strict: false }, (text) => { out.push(text); return Promise.resolve(); });
    const body = Buffer.from(out.join(''));
    const bytes = body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength);
    post({ type: 'done', id, body: new Uint8Array(bytes), summary }, [bytes]);
  } catch (e) {
    post({ type: 'error', id, error: toWireError(e) });
  } finally {
    inboxes.delete(id);
  }
}

parentPort!.on('message', (m: ScoringRequest) => {
  if (m.type === 'model') {
    try {
      models.set(m.version, Predictor.fromVersion(m.bytes, { version: m.version, bundleSha256: m.bundleSha256 }, schema.hash));
      for (const v of models.keys()) if (v !== m.version && !m.keep.includes(v)) models.delete(v);
      post({ type: 'model', version: m.version });
    } catch (e) {
      post({ type: 'model', version: m.version, error: toWireError(e) });
    }
  } else if (m.type === 'start') {
    const inbox = new Inbox();
    inboxes.set(m.id, inbox);
    void score(m.id, m.version, inbox);
  } else if (m.type === 'chunk') inboxes.get(m.id)?.push(m.data);
  else if (m.type === 'end') inboxes.get(m.id)?.end();
  else inboxes.get(m.id)?.abort();
});
