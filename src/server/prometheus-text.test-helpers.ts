/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests that scrape /metrics: every
 * line must be a `# HELP`, a `# TYPE` or a sample of a family declared by a TYPE line before it (with
 * the _bucket/_sum/_count suffixes of a histogram); label values are unescaped; a histogram's buckets
 * must be cumulative and its `+Inf` bucket equal its count. Throws on the first line that breaks a rule.
 */
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface PromSample { name: string; labels: Record<string, string>; value: number }
export interface PromFamily { name: string; type: MetricType; help: string; samples: PromSample[] }

const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: (-?\d+))?$/;
const labelPair = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\["\\n])*)"(?:,|$)/;

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest.length > 0) {
    const m = labelPair.exec(rest);
    if (!m) throw new Error(`bad labels in: ${line}`);
    if (m[1]! in labels) throw new Error(`label ${m[1]} twice in: ${line}`);
    labels[m[1]!] = m[2]!.replace(/\\(["\\n])/g, (_s, c: string) => (c === 'n' ? '\n' : c));
    rest = rest.slice(m[0].length);
  }
  return labels;
}

function parseValue(v: string, line: string): number {
  if (v === '+Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  // Prometheus reads values with Go's strconv.ParseFloat, which takes NaN in any case; prom-client
  // writes it as "Nan" (the event-loop lag mean of a scrape that follows another within its sampling).
  if (v.toLowerCase() === 'nan') return NaN;
  if (!/^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(v)) throw new Error(`bad value in: ${line}`);
  return Number(v);
}

function checkHistogram(f: PromFamily): void {
  const series = new Map<string, PromSample[]>();
  for (const s of f.samples) {
    const { le: _le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    series.set(key, [...(series.get(key) ?? []), s]);
  }
  for (const samples of series.values()) {
    const buckets = samples.filter((s) => s.name === `${f.name}_bucket`).map((s) => [parseValue(s.labels.le ?? '', `${f.name} le`), s.value] as const).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < buckets.length; i++) if (buckets[i]![1] < buckets[i - 1]![1]) throw new Error(`${f.name}: buckets not cumulative`);
    const inf = buckets.at(-1);
    const count = samples.find((s) => s.name === `${f.name}_count`)?.value;
    if (!inf || inf[0] !== Infinity || count !== inf[1]) throw new Error(`${f.name}: +Inf bucket ${String(inf?.[1])} differs from count ${String(count)}`);
  }
}

export function parsePrometheusText(text: string): Map<string, PromFamily> {
  const families = new Map<string, PromFamily>();
  const help = new Map<string, string>();
  const owner = (name: string): PromFamily | undefined => {
    const direct = families.get(name);
    if (direct) return direct;
    const m = /^(.*)_(bucket|sum|count)$/.exec(name);
    const f = m ? families.get(m[1]!) : undefined;
    return f && (f.type === 'histogram' || f.type === 'summary') && (m![2] !== 'bucket' || f.type === 'histogram') ? f : undefined;
  };
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta as unknown as [string, string, string, string];
      if (kind === 'HELP') help.set(name, rest);
      else {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest)) throw new Error(`bad TYPE in: ${line}`);
        if (families.has(name)) throw new Error(`${name} declared twice`);
        families.set(name, { name, type: rest as MetricType, help: help.get(name) ?? '', samples: [] });
      }
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = sampleLine.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const family = owner(m[1]!);
    if (!family) throw new Error(`sample of an undeclared family: ${line}`);
    family.samples.push({ name: m[1]!, labels: m[2] ? parseLabels(m[2], line) : {}, value: parseValue(m[3]!, line) });
  }
  for (const f of families.values()) if (f.type === 'histogram') checkHistogram(f);
  return families;
}
