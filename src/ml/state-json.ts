/**
 * ModelState as plain JSON (typed arrays as dtype + number lists). Used for small artifacts such as a
 * run's fitted preprocessor; JSON numbers round-trip float64 exactly.
 */
import { NsError } from '../core/errors.js';
import type { ModelState, TypedArray } from './estimator.js';

const ctors = { Float64Array, Float32Array, Int32Array, Uint32Array, Int16Array, Uint16Array, Int8Array, Uint8Array } as const;
type CtorName = keyof typeof ctors;

interface JsonState { kind: string; params: Record<string, unknown>; json: Record<string, unknown>; arrays: Record<string, { dtype: CtorName; values: number[] }> }

export function statesToJson(states: readonly ModelState[]): string {
  const out: JsonState[] = states.map((s) => ({
    kind: s.kind, params: s.params, json: s.json,
    arrays: Object.fromEntries(Object.entries(s.arrays).map(([k, a]) => [k, { dtype: a.constructor.name as CtorName, values: Array.from(a) }])),
  }));
  return JSON.stringify(out);
}

export function statesFromJson(text: string): ModelState[] {
  let raw: JsonState[];
  try {
    raw = JSON.parse(text) as JsonState[];
  } catch (e) {
    throw new NsError('STATE_INVALID', 'A saved preprocessor is not valid JSON.', { kind: 'state', cause: e, hint: 'Re-run the pipeline from transform.' });
  }
  return raw.map((s) => ({
    kind: s.kind, params: s.params, json: s.json,
    arrays: Object.fromEntries(Object.entries(s.arrays).map(([k, a]) => [k, ctors[a.dtype].from(a.values) as TypedArray])),
  }));
}
