/**
 * The record schema, parsed from `config/schema.yaml` (the original project's `data_schema/schema.yaml`
 * format: `columns` as a list of `name: type`, `numerical_columns`) plus networksecurity's extensions:
 * `target_column`, `allowed_values` (one list for every column, or a map per column), `target_values`
 * and `column_aliases` (other spellings accepted on input, mapped to the canonical name).
 *
 * The schema hash is the sha256 of a canonical JSON of the parsed schema (sorted keys, sorted allowed
 * values), so comments or key order in the YAML do not change it, and a model bundle can refuse data
 * of another schema.
 *
 * @example
 *   const schema = parseSchema(yamlText); schema.features.length; // 30
 */
import { parse as parseYaml } from 'yaml';
import { NsError } from '../core/errors.js';
import { sha256 } from '../core/hash.js';

export interface Schema {
  /** Canonical names in order: features, then the target. */
  columns: string[];
  /** Canonical feature names in order. */
  features: string[];
  target: string;
  /**
   * Allowed values per column, target included (the target's are `targetValues`). An empty list means
   * any number of the column's type.
   */
  allowedValues: Record<string, number[]>;
  targetValues: number[];
  /** Other spelling -> canonical name (e.g. port_no -> port). */
  aliases: Record<string, string>;
  /** Declared type per column ('int64' or 'float64'); int64 columns accept whole numbers only. */
  types: Record<string, ColumnType>;
  /** sha256 of the canonical JSON of the fields above. */
  hash: string;
}

export type ColumnType = 'int64' | 'float64';

const typeNames: Record<string, ColumnType> = { int64: 'int64', int: 'int64', int32: 'int64', integer: 'int64', float64: 'float64', float: 'float64', double: 'float64' };
const HINT = 'Fix config/schema.yaml (see the comment at its top for the format).';

function invalid(message: string): NsError {
  return new NsError('SCHEMA_INVALID', message, { kind: 'config', hint: HINT });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function numberList(v: unknown, where: string): number[] {
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw invalid(`${where} must be a non-empty list of numbers.`);
  }
  return [...new Set(v as number[])].sort((a, b) => a - b);
}

function parseColumns(raw: unknown): { names: string[]; types: Record<string, ColumnType> } {
  if (!Array.isArray(raw) || raw.length === 0) throw invalid('`columns` must be a non-empty list of `name: type` entries.');
  const names: string[] = [];
  const types: Record<string, ColumnType> = {};
  for (const entry of raw) {
    const pairs = isRecord(entry) ? Object.entries(entry) : [];
    const pair = pairs[0];
    if (pairs.length !== 1 || pair === undefined) throw invalid('Each entry of `columns` must be one `name: type` pair.');
    const [name, typeName] = pair;
    const type = typeof typeName === 'string' ? typeNames[typeName.toLowerCase()] : undefined;
    if (type === undefined) throw invalid(`Column ${name} has type ${String(typeName)}; supported: int64, float64.`);
    if (name in types) throw invalid(`Column ${name} is listed twice in \`columns\`.`);
    names.push(name);
    types[name] = type;
  }
  return { names, types };
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isRecord(v)) {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The schema hash: sha256 of the canonical JSON of every field but `hash`. */
export function schemaHash(s: Omit<Schema, 'hash'>): string {
  const { columns, features, target, allowedValues, targetValues, aliases, types } = s;
  return sha256(canonicalJson({ columns, features, target, allowedValues, targetValues, aliases, types }));
}

/**
 * Parses schema.yaml text. Throws NsError SCHEMA_INVALID (kind 'config') naming the problem.
 *
 * @example
 *   parseSchema('columns:\n  - a: int64\n  - y: int64\ntarget_column: y\nallowed_values: [0, 1]\n');
 */
export function parseSchema(yamlText: string): Schema {
  let doc: unknown;
  try {
    doc = parseYaml(yamlText);
  } catch (e) {
    throw new NsError('SCHEMA_INVALID', `The schema is not valid YAML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, { kind: 'config', hint: HINT, cause: e });
  }
  if (!isRecord(doc)) throw invalid('The schema must be a YAML mapping with a `columns` list.');
  const { names, types } = parseColumns(doc.columns);

  const target = doc.target_column ?? 'Result';
  if (typeof target !== 'string' || !names.includes(target)) throw invalid(`The target column ${JSON.stringify(target)} is not among \`columns\`.`);
  const features = names.filter((n) => n !== target);
  if (features.length === 0) throw invalid('The schema has no feature columns.');
  const columns = [...features, target];

  if (doc.numerical_columns !== undefined) {
    if (!Array.isArray(doc.numerical_columns)) throw invalid('`numerical_columns` must be a list of column names.');
    const unknown = doc.numerical_columns.filter((c) => typeof c !== 'string' || !names.includes(c));
    if (unknown.length > 0) throw invalid(`\`numerical_columns\` names unknown columns: ${unknown.map(String).join(', ')}.`);
  }

  const allowedValues: Record<string, number[]> = {};
  const rawAllowed = doc.allowed_values;
  for (const c of columns) allowedValues[c] = [];
  if (Array.isArray(rawAllowed)) {
    const list = numberList(rawAllowed, '`allowed_values`');
    for (const c of columns) allowedValues[c] = list;
  } else if (isRecord(rawAllowed)) {
    for (const [c, v] of Object.entries(rawAllowed)) {
      if (!(c in allowedValues)) throw invalid(`\`allowed_values\` names an unknown column: ${c}.`);
      allowedValues[c] = numberList(v, `\`allowed_values.${c}\``);
    }
  } else if (rawAllowed !== undefined && rawAllowed !== null) {
    throw invalid('`allowed_values` must be a list of numbers or a map from column to such a list.');
  }

  const targetValues = doc.target_values === undefined ? allowedValues[target]! : numberList(doc.target_values, '`target_values`');
  if (targetValues.length < 2) throw invalid('The target needs at least two values: set `target_values`, e.g. [-1, 1].');
  allowedValues[target] = targetValues;

  const aliases: Record<string, string> = {};
  if (doc.column_aliases !== undefined && doc.column_aliases !== null) {
    if (!isRecord(doc.column_aliases)) throw invalid('`column_aliases` must map another spelling to a canonical column name.');
    for (const [alias, canonical] of Object.entries(doc.column_aliases)) {
      if (typeof canonical !== 'string' || !columns.includes(canonical)) throw invalid(`Alias ${alias} points to ${String(canonical)}, which is not a column.`);
      if (columns.includes(alias)) throw invalid(`Alias ${alias} is itself a column name.`);
      aliases[alias] = canonical;
    }
  }

  for (const c of columns) {
    if (types[c] === 'int64' && allowedValues[c]!.some((v) => !Number.isInteger(v))) throw invalid(`Column ${c} is int64 but allows non-integer values.`);
  }
  const partial = { columns, features, target, allowedValues, targetValues, aliases, types };
  return { ...partial, hash: schemaHash(partial) };
}
