/** Colours of chart series. */
/**
 * Twelve line colours that stay apart from each other (Tableau 10 plus two darker tones); a series past
 * the twelfth reuses a colour with a dash, so 10+ candidates never share a style.
 */
export const palette = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#79706e', '#1f3b73', '#8c564b'];

/** The colour and dash of line series number i. */
export function seriesStyle(i: number): { borderColor: string; backgroundColor: string; borderDash: number[] } {
  const c = palette[i % palette.length]!;
  return { borderColor: c, backgroundColor: c, borderDash: i < palette.length ? [] : [6, 3] };
}
