import { describe, expect, it } from 'vitest';
import { formatTable } from './table.js';

describe('formatTable', () => {
  it('makes every column as wide as its longest cell, whatever the length', () => {
    const lines = formatTable(['version', 'kind', 'F1'], [['v1', 'HistGradientBoostingClassifierWithALongName', '0.9574'], ['v12', 'LR', '-']]);
    expect(lines).toEqual([
      'version  kind                                         F1',
      'v1       HistGradientBoostingClassifierWithALongName  0.9574',
      'v12      LR                                           -',
    ]);
    const starts = lines.map((l) => l.indexOf(l.split(/\s{2,}/)[2]!));
    expect(new Set(starts).size).toBe(1);
  });

  it('leaves no trailing spaces when the last cell is empty', () => {
    expect(formatTable(['a', 'b'], [['x', '']])).toEqual(['a  b', 'x']);
  });
});
