/**
 * JSON schemas of request bodies, used by Fastify to validate them and by @fastify/swagger to write
 * the OpenAPI document, so the two cannot disagree. `Row` follows the one value rule of
 * src/data/values.ts for this schema's values: -1, 0 or 1 as a JSON number or its plain decimal text,
 * a missing value as null, "", "na" or "NaN"; aliases (`port_no`) are accepted for their feature, and
 * the target column (`Result`) is allowed and ignored.
 */
import type { ServerSchema } from './deps.js';

/** Every spelling of a feature value the scoring routes accept (enum: no type coercion). */
export const featureValueSpellings = [-1, 0, 1, '-1', '0', '1', '-0', null, '', 'na', 'NaN'] as const;

/** The shared `Row` schema (registered with `app.addSchema`, referenced as `Row#`). */
export function rowSchema(schema: ServerSchema): Record<string, unknown> {
  const value = { enum: featureValueSpellings, description: '-1, 0 or 1 (number or text); null, "", "na" or "NaN" for a missing value' };
  const spellings = new Map<string, string[]>(schema.features.map((f) => [f, [f]]));
  for (const [alias, canonical] of Object.entries(schema.aliases)) spellings.get(canonical)?.push(alias);
  const properties: Record<string, unknown> = {};
  for (const names of spellings.values()) for (const n of names) properties[n] = n === names[0] ? value : { ...value, description: `another name of ${names[0]}` };
  properties[schema.target] = { description: 'the label, if present: ignored' };
  const single = [...spellings.values()].filter((n) => n.length === 1).map((n) => n[0]!);
  const aliased = [...spellings.values()].filter((n) => n.length > 1);
  return {
    $id: 'Row',
    title: 'Row',
    description: 'One website: every feature once (by its name or an alias) with a value of -1, 0 or 1.',
    type: 'object',
    additionalProperties: false,
    properties,
    required: single,
    // A feature with aliases is given under exactly one of its names (only checked on objects, so that
    // a row that is not an object fails on its type).
    if: { type: 'object' },
    then: { allOf: aliased.map((names) => ({ oneOf: names.map((n) => ({ required: [n] })) })) },
  };
}

/** POST /api/v1/predict: exactly one of `row` and `rows`. */
export const predictBodySchema = {
  type: 'object',
  properties: {
    row: { $ref: 'Row#' },
    rows: { type: 'array', items: { $ref: 'Row#' }, minItems: 1 },
    contributions: { type: 'boolean', description: 'Add per-feature contributions (positive pushes towards phishing).' },
  },
  oneOf: [{ required: ['row'] }, { required: ['rows'] }],
} as const;
