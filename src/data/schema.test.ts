import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NsError } from '../core/errors.js';
import { parseSchema } from './schema.js';

const yamlText = readFileSync(new URL('../../config/schema.yaml', import.meta.url), 'utf8');

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof NsError ? `${e.code}/${e.kind}` : 'not-NsError';
  }
  return undefined;
}

describe('parseSchema', () => {
  it('reads config/schema.yaml: 30 features then Result, allowed values, target values, aliases', () => {
    const s = parseSchema(yamlText);
    expect(s.features).toHaveLength(30);
    expect(s.features[10]).toBe('port');
    expect(s.columns).toEqual([...s.features, 'Result']);
    expect(s.target).toBe('Result');
    expect(s.allowedValues.URL_Length).toEqual([-1, 0, 1]);
    expect(s.allowedValues.Result).toEqual([-1, 1]);
    expect(s.targetValues).toEqual([-1, 1]);
    expect(s.aliases).toEqual({ port_no: 'port' });
    expect(s.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('hashes the parsed content, not the YAML text', () => {
    const a = parseSchema(yamlText);
    const b = parseSchema(`# another comment\n${yamlText.replace('target_column: Result', 'target_column:   Result   # label')}`);
    expect(b.hash).toBe(a.hash);
    const c = parseSchema(yamlText.replace('target_values: [-1, 1]', 'target_values: [-1, 0, 1]'));
    expect(c.hash).not.toBe(a.hash);
  });

  it('accepts per-column allowed values and puts the target last', () => {
    const s = parseSchema('columns:\n  - y: int64\n  - a: int64\n  - b: float64\ntarget_column: y\nallowed_values:\n  a: [1, 0]\n  y: [0, 1]\n');
    expect(s.features).toEqual(['a', 'b']);
    expect(s.columns).toEqual(['a', 'b', 'y']);
    expect(s.allowedValues).toEqual({ a: [0, 1], b: [], y: [0, 1] });
    expect(s.types.b).toBe('float64');
  });

  it('rejects broken schemas with SCHEMA_INVALID (config) and a hint', () => {
    expect(codeOf(() => parseSchema('columns: [\n'))).toBe('SCHEMA_INVALID/config');
    expect(codeOf(() => parseSchema('just text'))).toBe('SCHEMA_INVALID/config');
    expect(codeOf(() => parseSchema('columns:\n  - a: int64\n  - Result: int64\ntarget_column: nope\n'))).toBe('SCHEMA_INVALID/config');
    expect(codeOf(() => parseSchema('columns:\n  - a: text\n  - Result: int64\n'))).toBe('SCHEMA_INVALID/config');
    expect(codeOf(() => parseSchema('columns:\n  - a: int64\n  - Result: int64\nallowed_values: [0, 1]\ncolumn_aliases:\n  b: c\n'))).toBe('SCHEMA_INVALID/config');
    expect(codeOf(() => parseSchema('columns:\n  - a: int64\n  - Result: int64\nallowed_values: [1]\n'))).toBe('SCHEMA_INVALID/config');
    expect(codeOf(() => parseSchema('columns:\n  - a: int64\n  - Result: int64\nallowed_values: [0, 0.5]\n'))).toBe('SCHEMA_INVALID/config');
    expect(codeOf(() => parseSchema(yamlText.replace('  - Statistical_report\n  - Result\ntarget', '  - Statistical_report\n  - Result\n  - Other\ntarget')))).toBe('SCHEMA_INVALID/config');
    let err: unknown;
    try {
      parseSchema('columns: 3');
    } catch (e) {
      err = e;
    }
    expect((err as NsError).hint).toMatch(/schema\.yaml/);
  });
});
