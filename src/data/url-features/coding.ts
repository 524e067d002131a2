/**
 * Measures how the data set codes each feature: for every value, how many rows carry it and what
 * share of them is phishing. The paper's coding puts -1 on the phishing sign; a feature "runs
 * opposite" when its -1 rows are *less* often phishing than its 1 rows. docs/url-features.md holds
 * the table for the bundled data (scripts/feature-coding.ts prints it).
 *
 * @example
 *   codingTable(dataset).find((r) => r.feature === 'HTTPS_token')!.direction; // 'opposite' on the bundled data
 */
import type { Dataset } from '../../core/matrix.js';

export interface CodingRow {
  feature: string;
  values: { value: number; rows: number; share: number; phishingRate: number }[];
  /** Phishing rate at -1 minus at 1 (the paper's two ends); > 0 means the paper's direction holds. */
  lift: number | null;
  /**
   * 'paper' when -1 rows are more often phishing, 'opposite' when less, 'no signal' when the rates
   * differ by less than one percentage point; null when the feature has no -1 or no 1 (Redirect).
   */
  direction: 'paper' | 'opposite' | 'no signal' | null;
}

/** Phishing rates closer than this (one percentage point) are no direction at all. */
const NO_SIGNAL = 0.01;

/** `phishing` is the label value of phishing rows (-1 in this data set). */
export function codingTable(data: Dataset, phishing = -1): CodingRow[] {
  const { X, y, columns } = data;
  return columns.map((feature, j) => {
    const byValue = new Map<number, { rows: number; phishing: number }>();
    for (let i = 0; i < X.rows; i++) {
      const v = X.data[i * X.cols + j]!;
      if (Number.isNaN(v)) continue;
      const c = byValue.get(v) ?? { rows: 0, phishing: 0 };
      c.rows++;
      if (y[i] === phishing) c.phishing++;
      byValue.set(v, c);
    }
    const values = [...byValue.entries()].sort((a, b) => a[0] - b[0])
      .map(([value, c]) => ({ value, rows: c.rows, share: c.rows / X.rows, phishingRate: c.phishing / c.rows }));
    const at = (v: number): number | undefined => values.find((x) => x.value === v)?.phishingRate;
    const low = at(-1);
    const high = at(1);
    const lift = low === undefined || high === undefined ? null : low - high;
    const direction = lift === null ? null : Math.abs(lift) < NO_SIGNAL ? 'no signal' : lift > 0 ? 'paper' : 'opposite';
    return { feature, values, lift, direction };
  });
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** The table as Markdown: per value its share of rows and its phishing rate, and the direction. */
export function codingMarkdown(rows: readonly CodingRow[]): string {
  const lines = ['| feature | value: share of rows, phishing rate | -1 minus 1 (phishing rate) | paper\'s direction |', '|---|---|---|---|'];
  for (const r of rows) {
    const vals = r.values.map((v) => `${v.value}: ${pct(v.share)}, ${pct(v.phishingRate)}`).join(' · ');
    const dir = r.direction === null ? 'n/a (values 0 and 1)' : r.direction === 'paper' ? 'as the paper' : r.direction === 'opposite' ? '**opposite**' : 'no signal';
    lines.push(`| ${r.feature} | ${vals} | ${r.lift === null ? '—' : (100 * r.lift).toFixed(1) + ' pts'} | ${dir} |`);
  }
  return lines.join('\n');
}
