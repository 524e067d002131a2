/**
 * Measures how the data set codes each feature: for every value, how many rows carry it and what
 * share of them is phishing. The paper's coding puts -1 on the phishing sign; a feature "runs
 * opposite" when its -1 rows are *less* often phishing than its 1 rows. docs/url-features.md holds
 * the table for the bundled data (scripts/feature-coding.ts prints it).
 *
 * @example
 *   codingTable(dataset).find((r) => r.feature === 'HTTPS_token')!.agrees; // false on the bundled data
 */
import type { Dataset } from '../../core/matrix.js';

export interface CodingRow {
  feature: string;
  values: { value: number; rows: number; share: number; phishingRate: number }[];
  /** Phishing rate at -1 minus at 1 (the paper's two ends); > 0 means the paper's direction holds. */
  lift: number | null;
  /** null when the feature has no -1 or no 1 (Redirect holds 0 and 1 only). */
  agrees: boolean | null;
}

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
    return { feature, values, lift, agrees: lift === null ? null : lift > 0 };
  });
}
