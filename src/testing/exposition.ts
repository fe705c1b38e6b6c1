// Test support: Prometheus text exposition parsed by parse-prometheus-text-format (a port of the Prometheus client's
// own parser, strict about line syntax), flattened into families of typed samples, plus the naming rules of
// Prometheus (and promtool's `check metrics` lint) checked on each family.
import { createRequire } from 'node:module';

interface RawSample { value?: string; labels?: Record<string, string>; buckets?: Record<string, string>; count?: string; sum?: string }
interface RawFamily { name: string; help: string; type: string; metrics: RawSample[] }

const parseText = createRequire(import.meta.url)('parse-prometheus-text-format') as (text: string) => RawFamily[];

export interface Family {
  readonly name: string;
  /** counter, gauge, histogram, summary or untyped (lower case, as in `# TYPE`). */
  readonly type: string;
  readonly help: string;
  /** Plain samples (counters, gauges): labels and value. */
  readonly samples: ReadonlyArray<{ labels: Record<string, string>; value: number }>;
  /** Histograms without labels: buckets by `le`, count and sum (the parser merges labelled series, so those have none). */
  readonly histogram?: { buckets: Record<string, number>; count?: number; sum?: number };
}

/** Parses a /metrics body; throws on a malformed line (the parser's InvalidLineError) or a non-numeric value. */
export function parseExposition(text: string): Map<string, Family> {
  const num = (v: string | undefined, where: string): number => {
    const n = /^nan$/i.test(v ?? '') ? NaN : Number(v);
    if (v === undefined || v.trim() === '' || (Number.isNaN(n) && !/^nan$/i.test(v))) throw new Error(`${where}: not a number: ${String(v)}`);
    return n;
  };
  const out = new Map<string, Family>();
  for (const f of parseText(text)) {
    if (out.has(f.name)) throw new Error(`metric family ${f.name} appears twice`);
    const type = f.type.toLowerCase();
    if (type === 'histogram') {
      const h = f.metrics[0] ?? {};
      out.set(f.name, { name: f.name, type, help: f.help, samples: [], histogram: {
        buckets: Object.fromEntries(Object.entries(h.buckets ?? {}).map(([le, v]) => [le, num(v, `${f.name} le=${le}`)])),
        ...(h.count !== undefined ? { count: num(h.count, `${f.name}_count`) } : {}),
        ...(h.sum !== undefined ? { sum: num(h.sum, `${f.name}_sum`) } : {}),
      } });
    } else {
      out.set(f.name, { name: f.name, type, help: f.help, samples: f.metrics.map((m) => ({ labels: m.labels ?? {}, value: num(m.value, f.name) })) });
    }
  }
  return out;
}

const NON_BASE_UNITS = /_(ms|us|ns|sec|secs|hours?|milliseconds|microseconds|nanoseconds|minutes|kb|mb|gb|kilobytes|megabytes|percent)(_|$)/;

/** What is wrong with a family's name under Prometheus's conventions (empty when nothing is). */
export function namingProblems(f: Pick<Family, 'name' | 'type' | 'help'>, prefix: string): string[] {
  const problems: string[] = [];
  if (!f.name.startsWith(prefix)) problems.push(`does not start with ${prefix}`);
  if (!/^[a-z_][a-z0-9_]*$/.test(f.name)) problems.push('is not snake_case');
  if (f.type === 'counter' && !f.name.endsWith('_total')) problems.push('is a counter without the _total suffix');
  if (f.type !== 'counter' && f.name.endsWith('_total')) problems.push(`ends in _total but is a ${f.type}`);
  if (f.type === 'histogram' && !/_(seconds|bytes)$/.test(f.name)) problems.push('is a histogram without a base unit (_seconds, _bytes)');
  if (/_(count|sum|bucket)$/.test(f.name)) problems.push('ends in a suffix reserved for histograms and summaries');
  if (NON_BASE_UNITS.test(f.name)) problems.push('uses a non-base unit (use seconds and bytes)');
  if (f.help.trim() === '') problems.push('has no HELP text');
  return problems.map((p) => `${f.name} ${p}`);
}
