/** Small display helpers shared by the pages. */
export const pct = (x: number | undefined, digits = 1): string => (x === undefined || Number.isNaN(x) ? '—' : `${(x * 100).toFixed(digits)}%`);
export const num = (x: number | undefined, digits = 3): string => (x === undefined || Number.isNaN(x) ? '—' : x.toFixed(digits));
export const ms = (x: number | undefined): string => (x === undefined ? '—' : x < 1000 ? `${Math.round(x)} ms` : `${(x / 1000).toFixed(1)} s`);
export const when = (iso: string | null | undefined): string => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—');
export const short = (s: string | undefined, n = 10): string => (s ? (s.length > n ? `${s.slice(0, n)}…` : s) : '—');
export const whenShort = (iso: string | null | undefined): string => (iso ? new Date(iso).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }) : '—');
/** Route helper: sets location.hash. */
export const go = (hash: string): void => { location.hash = hash; };
