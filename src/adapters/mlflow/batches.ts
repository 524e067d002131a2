/**
 * MLflow's runs/log-batch limits (1000 metrics, 100 params, 100 tags per call) and the conversions of
 * our values to its wire format. Pure helpers, so the splitting is tested without a server.
 */
import type { StoredMetric } from '../tracking/types.js';
import { metricValueToWire, type MlflowMetric } from './client.js';

export const MAX_METRICS_PER_BATCH = 1000;
export const MAX_PARAMS_PER_BATCH = 100;
export const MAX_TAGS_PER_BATCH = 100;
/** MLflow rejects longer param values; longer ones are cut and marked with a trailing ellipsis. */
export const MAX_PARAM_VALUE_LENGTH = 6000;

/** Splits a list into chunks of at most `size` items. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function toWireMetric(m: StoredMetric): MlflowMetric {
  return { key: m.key, value: metricValueToWire(m.value), timestamp: m.timestamp, step: m.step };
}

export function toWireParam(key: string, value: string): { key: string; value: string } {
  return { key, value: value.length > MAX_PARAM_VALUE_LENGTH ? `${value.slice(0, MAX_PARAM_VALUE_LENGTH - 3)}...` : value };
}

export function toWireTags(tags: Record<string, string>): { key: string; value: string }[] {
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}
