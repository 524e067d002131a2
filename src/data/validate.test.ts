import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromRows, type Dataset } from '../core/matrix.js';
import { readRecordsCsv } from './records.js';
import { parseSchema } from './schema.js';
import { chunked } from './test-support.test-helpers.js';
import { duplicateCensus, validateDataset } from './validate.js';

const schema = parseSchema(readFileSync(new URL('../../config/schema.yaml', import.meta.url), 'utf8'));
const small = parseSchema('columns:\n  - a: int64\n  - b: int64\n  - Result: int64\nallowed_values: [-1, 0, 1]\ntarget_values: [-1, 1]\ncolumn_aliases:\n  b_old: b\n');

function ds(columns: string[], rows: number[][], y: number[]): Dataset {
  return { columns, X: fromRows(rows), y: Float64Array.from(y) };
}

describe('validateDataset on the bundled data', () => {
  it('is ok and finds 5,785 distinct vectors, 5,849 distinct rows and 64 conflicting vectors', async () => {
    const read = await readRecordsCsv(chunked(readFileSync(new URL('../../data/phisingData.csv', import.meta.url))), schema, { requireTarget: true });
    const { report, goodRows, badRows } = validateDataset({ columns: schema.features, X: read.X, y: read.y! }, schema, { lines: read.lines });
    expect(report.ok).toBe(true);
    expect(report.rows).toBe(11055);
    expect(goodRows.length).toBe(11055);
    expect(badRows.length).toBe(0);
    expect(report.duplicateVectors).toEqual({ distinctVectors: 5785, duplicateRows: 11055 - 5785, conflictingLabels: 64, distinctRows: 5849 });
    const result = report.columns.at(-1)!;
    expect(result).toEqual({ name: 'Result', missing: 0, invalid: 0, distinct: { '-1': 4898, '1': 6157 } });
    // Redirect holds only 0 and 1 in this data (see FEATURES.md)
    expect(Object.keys(report.columns.find((c) => c.name === 'Redirect')!.distinct).sort()).toEqual(['0', '1']);
  });
});

describe('validateDataset rules', () => {
  it('counts missing values without failing rows; flags invalid values and bad labels', () => {
    const d = ds(['a', 'b'], [[1, 0], [NaN, -1], [2, 0], [1, 0.5], [0, 0], [1, 1]], [1, -1, 1, 1, NaN, 0]);
    const { report, goodRows, badRows } = validateDataset(d, small, { lines: Uint32Array.from([2, 3, 5, 6, 7, 9]) });
    expect(report.ok).toBe(false);
    expect(Array.from(goodRows)).toEqual([0, 1]);
    expect(Array.from(badRows)).toEqual([2, 3, 4, 5]);
    expect(report.badRowCount).toBe(4);
    expect(report.badRows).toEqual([
      { line: 5, reason: 'a: value 2 is not allowed' },
      { line: 6, reason: 'b: value 0.5 is not allowed' },
      { line: 7, reason: 'Result is missing' },
      { line: 9, reason: 'Result: label 0 is not allowed' },
    ]);
    expect(report.columns[0]).toEqual({ name: 'a', missing: 1, invalid: 1, distinct: { '1': 3, '2': 1, '0': 1 } });
    expect(report.columns[2]).toMatchObject({ name: 'Result', missing: 1, invalid: 1 });
  });

  it('limits the bad-row sample and numbers rows without lines as line i + 2', () => {
    const d = ds(['a', 'b'], [[5, 5], [5, 5], [5, 5]], [1, 1, 1]);
    const { report } = validateDataset(d, small, { sampleSize: 2 });
    expect(report.badRows).toEqual([{ line: 2, reason: 'a: value 5 is not allowed (and 1 more)' }, { line: 3, reason: 'a: value 5 is not allowed (and 1 more)' }]);
    expect(report.badRowCount).toBe(3);
  });

  it('reports missing columns, accepts aliases and ignores extra columns', () => {
    const { report } = validateDataset(ds(['x', 'a'], [[0, 1]], [1]), small);
    expect(report.missingColumns).toEqual(['b']);
    expect(report.extraColumns).toEqual(['x']);
    expect(report.ok).toBe(false);
    const aliased = validateDataset(ds(['b_old', 'a'], [[0, 1]], [1]), small);
    expect(aliased.report.ok).toBe(true);
    expect(aliased.report.columns.map((c) => c.name)).toEqual(['a', 'b', 'Result']);
  });

  it('an empty data set is not ok', () => {
    expect(validateDataset({ columns: ['a', 'b'], X: { rows: 0, cols: 2, data: new Float64Array(0) }, y: new Float64Array(0) }, small).report.ok).toBe(false);
  });

  it('duplicateCensus treats NaN as a value and counts conflicts once per vector', () => {
    const d = ds(['a', 'b'], [[1, NaN], [1, NaN], [1, NaN], [0, 0], [0, 0]], [1, -1, -1, 1, 1]);
    expect(duplicateCensus(d)).toEqual({ distinctVectors: 2, duplicateRows: 3, conflictingLabels: 1, distinctRows: 3 });
  });
});
