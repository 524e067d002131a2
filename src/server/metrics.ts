/**
 * Prometheus metrics of the server with prom-client, on a registry of each server's own (two servers in
 * one process do not mix counts): prom-client's default metrics (process CPU, memory and open files,
 * heap and its spaces, event-loop lag, GC durations, active handles) next to ours — requests per
 * method/route/status, a latency histogram per route, predictions per class, requests per scored batch,
 * and the model in use.
 * The default metrics describe the process, so they are collected once per process on a registry every
 * server renders: prom-client cannot stop their event-loop monitor and GC observer, and one set per
 * built server would pile up in a process that builds many (tests).
 *
 * @example
 *   const m = new ServerMetrics(); m.observeRequest('GET', '/healthz', 200, 0.002); await m.render(7);
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

let processRegistry: Registry | undefined;

/** The process-wide registry of prom-client's default metrics, started on first use. */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

const buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class ServerMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({ name: 'ns_http_requests_total', help: 'HTTP requests by method, route and status.', labelNames: ['method', 'route', 'status'] as const, registers: [this.registry] });
  private readonly latency = new Histogram({ name: 'ns_http_request_duration_seconds', help: 'Request latency by route.', labelNames: ['route'] as const, buckets, registers: [this.registry] });
  private readonly predictions = new Counter({ name: 'ns_predictions_total', help: 'Predicted rows by class.', labelNames: ['class'] as const, registers: [this.registry] });
  private readonly batches = new Histogram({ name: 'ns_scoring_batch_requests', help: 'Requests scored together in one batch (predict, /invocations, OIP infer).', buckets: [1, 2, 4, 8, 16, 32, 64, 128], registers: [this.registry] });
  private readonly modelLoaded = new Gauge({ name: 'ns_model_loaded', help: '1 when a champion model is loaded.', registers: [this.registry] });
  private readonly modelVersion = new Gauge({ name: 'ns_model_version', help: 'Registry version of the champion in use (0 when none).', registers: [this.registry] });

  constructor() {
    processMetrics();
    // Both classes appear from the start, so a rate over them is defined before the first prediction.
    this.predictions.inc({ class: 'phishing' }, 0);
    this.predictions.inc({ class: 'legitimate' }, 0);
  }

  /** Counts one finished request and its duration in seconds. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.requests.inc({ method, route, status: String(status) });
    this.latency.observe({ route }, seconds);
  }

  /** Counts predicted labels (-1 phishing, 1 legitimate). */
  observePredictions(labels: Float64Array): void {
    let phishing = 0;
    for (let i = 0; i < labels.length; i++) if (labels[i] === -1) phishing++;
    this.countPredictions(phishing, labels.length);
  }

  /** Records one scored batch and how many requests it held. */
  observeBatch(requests: number): void {
    this.batches.observe(requests);
  }

  /** Counts `total` predictions of which `phishing` were phishing (scored elsewhere, e.g. the CSV scoring thread). */
  countPredictions(phishing: number, total: number): void {
    if (phishing > 0) this.predictions.inc({ class: 'phishing' }, phishing);
    if (total > phishing) this.predictions.inc({ class: 'legitimate' }, total - phishing);
  }

  /** The Prometheus text exposition; `modelVersion` undefined when no model is loaded. */
  async render(modelVersion: number | undefined): Promise<string> {
    this.modelLoaded.set(modelVersion === undefined ? 0 : 1);
    this.modelVersion.set(modelVersion ?? 0);
    return Registry.merge([processMetrics(), this.registry]).metrics();
  }

  /** The Content-Type of `render`'s text. */
  get contentType(): string {
    return this.registry.contentType;
  }
}
