/**
 * What every route module gets: the dependencies, the metrics, and the scoring helpers that read the
 * champion once per request (so a swap mid-request cannot mix two models).
 */
import { NsError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import type { ScoringModel, ServerDeps } from './deps.js';
import type { ServerMetrics } from './metrics.js';
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
  score(model: ScoringModel, X: Matrix): { label: Float64Array; probPhishing: Float64Array };
  /** Config of rate-limited (predict) routes. */
  predictRateLimit: { max: number; timeWindow: number };
}

/** Builds the route context of one server instance. */
export function routeContext(deps: ServerDeps, metrics: ServerMetrics, version: string): RouteContext {
  const resolvers = new WeakMap<ScoringModel, ColumnResolver>();
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
    predictRateLimit: { max: deps.limits.predictPerMinute, timeWindow: 60_000 },
  };
}
