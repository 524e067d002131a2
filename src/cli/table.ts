/**
 * Plain-text tables for the terminal: every column as wide as its longest cell (so long model kinds,
 * run ids and queue names stay aligned), two spaces between columns, no trailing spaces.
 *
 * @example formatTable(['version', 'F1'], [['v1', '0.9574']]) // ['version  F1', 'v1       0.9574']
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}
