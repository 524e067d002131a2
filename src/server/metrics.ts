/**
 * Prometheus metrics of the server, kept in plain maps and rendered in the text exposition format
 * (version 0.0.4): requests per route/method/status, a latency histogram per route, predictions per
 * class, and the model version in use.
 *
 * @example
 *   const m = new ServerMetrics(); m.observeRequest('GET', '/healthz', 200, 0.002); m.render(7);
 */
const buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram { counts: number[]; sum: number; count: number }

const esc = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export class ServerMetrics {
  private readonly requests = new Map<string, number>();
  private readonly latency = new Map<string, Histogram>();
  private readonly predictions = { phishing: 0, legitimate: 0 };

  /** Counts one finished request and its duration in seconds. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const key = `method="${esc(method)}",route="${esc(route)}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    let h = this.latency.get(route);
    if (!h) { h = { counts: buckets.map(() => 0), sum: 0, count: 0 }; this.latency.set(route, h); }
    for (let i = 0; i < buckets.length; i++) if (seconds <= buckets[i]!) h.counts[i]!++;
    h.sum += seconds;
    h.count++;
  }

  /** Counts predicted labels (-1 phishing, 1 legitimate). */
  observePredictions(labels: Float64Array): void {
    let phishing = 0;
    for (let i = 0; i < labels.length; i++) if (labels[i] === -1) phishing++;
    this.predictions.phishing += phishing;
    this.predictions.legitimate += labels.length - phishing;
  }

  /** The exposition text; `modelVersion` undefined when no model is loaded. */
  render(modelVersion: number | undefined): string {
    const lines: string[] = [];
    lines.push('# HELP ns_http_requests_total HTTP requests by method, route and status.', '# TYPE ns_http_requests_total counter');
    for (const [k, v] of this.requests) lines.push(`ns_http_requests_total{${k}} ${v}`);
    lines.push('# HELP ns_http_request_duration_seconds Request latency by route.', '# TYPE ns_http_request_duration_seconds histogram');
    for (const [route, h] of this.latency) {
      const r = esc(route);
      buckets.forEach((b, i) => lines.push(`ns_http_request_duration_seconds_bucket{route="${r}",le="${b}"} ${h.counts[i]}`));
      lines.push(`ns_http_request_duration_seconds_bucket{route="${r}",le="+Inf"} ${h.count}`);
      lines.push(`ns_http_request_duration_seconds_sum{route="${r}"} ${h.sum}`);
      lines.push(`ns_http_request_duration_seconds_count{route="${r}"} ${h.count}`);
    }
    lines.push('# HELP ns_predictions_total Predicted rows by class.', '# TYPE ns_predictions_total counter');
    lines.push(`ns_predictions_total{class="phishing"} ${this.predictions.phishing}`);
    lines.push(`ns_predictions_total{class="legitimate"} ${this.predictions.legitimate}`);
    lines.push('# HELP ns_model_loaded 1 when a champion model is loaded.', '# TYPE ns_model_loaded gauge');
    lines.push(`ns_model_loaded ${modelVersion === undefined ? 0 : 1}`);
    lines.push('# HELP ns_model_version Registry version of the champion in use (0 when none).', '# TYPE ns_model_version gauge');
    lines.push(`ns_model_version ${modelVersion ?? 0}`);
    return lines.join('\n') + '\n';
  }
}
