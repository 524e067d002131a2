/**
 * Helpers for the data tests: the project's schema and CSV text fed as async chunks the way a file
 * stream or an upload would deliver them. Used by tests only (reads no files itself).
 */
import type { Schema } from './schema.js';

/** Feeds text (or bytes) as chunks of `size` characters/bytes. */
export async function* chunked(data: string | Uint8Array, size = 64 * 1024): AsyncIterable<string | Uint8Array> {
  await Promise.resolve();
  for (let i = 0; i < data.length; i += size) yield data.slice(i, i + size);
}

/** A CSV header of the schema's canonical columns. */
export function headerLine(schema: Schema, withTarget = true): string {
  return (withTarget ? schema.columns : schema.features).join(',');
}

/** One CSV data line with every feature set to `v` and the label `label`. */
export function dataLine(schema: Schema, v: number | string, label: number | string | null = 1): string {
  const cells: (number | string)[] = schema.features.map(() => v);
  if (label !== null) cells.push(label);
  return cells.join(',');
}
