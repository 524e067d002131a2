import { describe, expect, it } from 'vitest';
import { seriesStyle } from './colors.js';

describe('seriesStyle', () => {
  it('gives ten lines ten different colours, and the 13th a dash', () => {
    const ten = Array.from({ length: 10 }, (_, i) => seriesStyle(i).borderColor);
    expect(new Set(ten).size).toBe(10);
    expect(seriesStyle(0).borderDash).toEqual([]);
    expect(seriesStyle(12).borderColor).toBe(seriesStyle(0).borderColor);
    expect(seriesStyle(12).borderDash.length).toBeGreaterThan(0);
  });
});
