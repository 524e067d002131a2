/**
 * What every route module gets: the dependencies, the metrics, and the scoring helpers that read the
 * champion once per request (so a swap mid-request cannot mix two models).
 */
import { NsError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import { BatchScorer, type Scored } from './batch-scorer.js';
import type { ScoringModel, ServerDeps } from './deps.js';
import type { ServerMetrics } from './metrics.js';
import { rateLimit, type RateLimitHook } from './rate-limit.js';
import { columnResolver, type ColumnResolver } from './rows.js';

export interface RouteContext {
  deps: ServerDeps;
  metrics: ServerMetrics;
  version: string;
  /** The champion for this request, or NsError MODEL_NOT_READY (503). */
  requireModel(): ScoringModel;
  /** The column lookup for a model (cached per model object). */
  columnsFor(model: ScoringModel): ColumnResolver;
  /** Predicts and counts the predicted classes in the metrics. */
  score(model: ScoringModel, X: Matrix): Scored;
  /** As `score`, batched with the other requests that arrived at the same time (src/server/batch-scorer.ts). */
  scoreSoon(model: ScoringModel, X: Matrix): Promise<Scored>;
  /** A new per-address limiter for one scoring endpoint (NS_RATE_LIMIT_PER_MINUTE), as an onRequest hook. */
  scoringRateLimit(): RateLimitHook;
}

/** Builds the route context of one server instance. */
export function routeContext(deps: ServerDeps, metrics: ServerMetrics, version: string): RouteContext {
  const resolvers = new WeakMap<ScoringModel, ColumnResolver>();
  const batcher = new BatchScorer((labels) => metrics.observePredictions(labels), (n) => metrics.observeBatch(n));
  return {
    deps,
    metrics,
    version,
    requireModel() {
      const model = deps.getModel();
      if (!model) {
        throw new NsError('MODEL_NOT_READY', 'No champion model is loaded yet.', {
          kind: 'unavailable', hint: 'Train a model (POST /api/v1/runs) or promote a version, then retry.',
        });
      }
      return model;
    },
    columnsFor(model) {
      let r = resolvers.get(model);
      if (!r) { r = columnResolver(deps.schema, model.featureNames); resolvers.set(model, r); }
      return r;
    },
    score(model, X) {
      const out = model.predict(X);
      metrics.observePredictions(out.label);
      return out;
    },
    scoreSoon: (model, X) => batcher.score(model, X),
    scoringRateLimit: () => rateLimit({ max: deps.limits.predictPerMinute, windowMs: 60_000 }),
  };
}
