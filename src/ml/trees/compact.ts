/**
 * Collapses rows with identical bin vectors into one weighted row. Impurity and gradient statistics
 * depend only on per-bin sums, so a tree built on the distinct vectors with summed weights is the tree
 * built on all rows; on the phishing data (11,055 rows, 5,785 distinct vectors) this halves the work of
 * every histogram pass. Each original row keeps a pointer to its vector (`rowOf`).
 */

/** Distinct bin vectors of a training set. */
export interface CompactBins {
  /** Number of distinct vectors. */
  readonly n: number;
  readonly nFeatures: number;
  /** Column-major bins of the distinct vectors: colBins[f * n + u]. */
  readonly colBins: Uint8Array;
  /** Original row -> distinct vector. */
  readonly rowOf: Int32Array;
}

/** Groups the rows of column-major `bins` (rows x cols) by identical vectors. */
export function compactBins(bins: Uint8Array, rows: number, cols: number): CompactBins {
  const rowOf = new Int32Array(rows);
  const index = new Map<string, number>();
  const firstRow: number[] = [];
  const key = new Uint8Array(cols);
  const decoder = new TextDecoder('latin1');
  for (let i = 0; i < rows; i++) {
    for (let f = 0; f < cols; f++) key[f] = bins[f * rows + i]!;
    const k = decoder.decode(key);
    let u = index.get(k);
    if (u === undefined) {
      u = firstRow.length;
      index.set(k, u);
      firstRow.push(i);
    }
    rowOf[i] = u;
  }
  const n = firstRow.length;
  const colBins = new Uint8Array(n * cols);
  for (let f = 0; f < cols; f++) {
    const src = f * rows;
    const dst = f * n;
    for (let u = 0; u < n; u++) colBins[dst + u] = bins[src + firstRow[u]!]!;
  }
  return { n, nFeatures: cols, colBins, rowOf };
}
