/**
 * Scores the rows of concurrent requests as one batch. A request's rows are queued, and once the
 * event loop has read every request that arrived together (one `setImmediate`), each model's queued
 * rows are scored in one call and each request gets its own slice back. A tree ensemble walks a batch
 * far faster per row than one row at a time (its nodes stay in cache and four rows share a walk), and
 * every path scores the same bits (src/ml/trees/scoring-forest.ts), so a row's answer does not depend
 * on its neighbours. Requests keep the model they read: rows are grouped by model object, so a champion
 * swapped in the meantime scores only the requests that read it. If a batch fails, each request is
 * scored alone so that only the request at fault gets the error.
 *
 * @example
 *   const batcher = new BatchScorer((labels) => metrics.observePredictions(labels));
 *   const { label, probPhishing } = await batcher.score(model, X);
 */
import type { Matrix } from '../core/matrix.js';
import type { ScoringModel } from './deps.js';

export interface Scored { label: Float64Array; probPhishing: Float64Array }

interface Waiting { X: Matrix; resolve: (s: Scored) => void; reject: (e: unknown) => void }

export class BatchScorer {
  private queued = new Map<ScoringModel, Waiting[]>();
  private scheduled = false;
  /** Batches scored and requests in them, for tests and diagnostics. */
  readonly stats = { batches: 0, requests: 0 };

  /** `observe` gets the labels of every scored call and, once per batch, the number of requests in it. */
  constructor(private readonly observe: (labels: Float64Array) => void, private readonly observeBatch: (requests: number) => void = () => undefined) {}

  /** The labels and phishing probabilities of X's rows, scored with the rows queued beside them. */
  score(model: ScoringModel, X: Matrix): Promise<Scored> {
    return new Promise<Scored>((resolve, reject) => {
      const q = this.queued.get(model);
      if (q) q.push({ X, resolve, reject });
      else this.queued.set(model, [{ X, resolve, reject }]);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const queued = this.queued;
    this.queued = new Map();
    for (const [model, waiting] of queued) this.scoreBatch(model, waiting);
  }

  private scoreBatch(model: ScoringModel, waiting: Waiting[]): void {
    this.stats.batches++;
    this.stats.requests += waiting.length;
    this.observeBatch(waiting.length);
    if (waiting.length === 1) return this.scoreAlone(model, waiting[0]!);
    let out: Scored;
    let rows = 0;
    try {
      const cols = waiting[0]!.X.cols;
      for (const w of waiting) {
        if (w.X.cols !== cols) throw new Error('rows of different widths');
        rows += w.X.rows;
      }
      const data = new Float64Array(rows * cols);
      let at = 0;
      for (const w of waiting) { data.set(w.X.data, at); at += w.X.data.length; }
      out = model.predict({ rows, cols, data });
    } catch {
      for (const w of waiting) this.scoreAlone(model, w);
      return;
    }
    this.observe(out.label);
    let start = 0;
    for (const w of waiting) {
      const end = start + w.X.rows;
      w.resolve({ label: out.label.subarray(start, end), probPhishing: out.probPhishing.subarray(start, end) });
      start = end;
    }
  }

  private scoreAlone(model: ScoringModel, w: Waiting): void {
    let out: Scored;
    try {
      out = model.predict(w.X);
    } catch (e) {
      w.reject(e);
      return;
    }
    this.observe(out.label);
    w.resolve(out);
  }
}
