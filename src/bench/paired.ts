// Two sides of a comparison (defender off against on, by default), measured in interleaved pairs (A B, B A, ...) so
// that the machine's slow drift (other sessions' load) falls on both sides alike. Each pair gives one B/A ratio; the
// summary is the median of those ratios, the median's confidence interval and their range, beside the medians of
// each side. Pure: the caller passes the figures.
import type { LabReport } from '../lab/report.js';
import { wrkSuccess, type WrkMode } from '../lab/wrk.js';
import { median } from './measure.js';

/** One run's figures in one window: requests per second and the p99 latency (ms), null when wrk gave none. */
export interface RunFigures {
  readonly rps: number;
  readonly p99: number | null;
}

/** One pair: side A's run and side B's. */
export interface Pair {
  readonly a: RunFigures;
  readonly b: RunFigures;
}

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Of a ratio: the median's confidence interval (medianInterval), absent with too few pairs to give one. */
  readonly ci?: { readonly lo: number; readonly hi: number };
}

export interface PairedSummary {
  readonly pairs: number;
  readonly rpsA: Spread;
  readonly rpsB: Spread;
  /** Per pair B ÷ A: below 1 means fewer requests on side B. */
  readonly rpsRatio: Spread;
  readonly p99A: Spread | null;
  readonly p99B: Spread | null;
  /** Per pair B ÷ A: above 1 means a worse tail on side B. */
  readonly p99Ratio: Spread | null;
}

/** The confidence level of the intervals the tables print. */
export const CI_LEVEL = 0.9;

/**
 * A distribution-free confidence interval for the median of xs: the k-th smallest and k-th largest values, with the
 * largest k whose coverage, 1 − 2·P(Binomial(n, ½) < k), is at least `level`. Assumes nothing about the ratios'
 * distribution (one slow run in the VM gives a ratio far out; the interval does not move for it). Null when even
 * the whole range covers less (n < 5 at 90 %).
 */
export function medianInterval(xs: readonly number[], level = CI_LEVEL): { lo: number; hi: number } | null {
  const n = xs.length;
  const sorted = [...xs].sort((x, y) => x - y);
  let below = 0; // P(Binomial(n, ½) < k), built up term by term
  let term = 0.5 ** n; // P(Binomial(n, ½) = k - 1), from k = 1
  let best = 0;
  for (let k = 1; 2 * k <= n + 1; k++) {
    below += term;
    term = (term * (n - (k - 1))) / k;
    if (1 - 2 * below < level) break;
    best = k;
  }
  return best === 0 ? null : { lo: sorted[best - 1]!, hi: sorted[n - best]! };
}

function spread(xs: readonly number[], withCi = false): Spread | null {
  if (xs.length === 0) return null;
  const ci = withCi ? medianInterval(xs) : null;
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), ...(ci ? { ci } : {}) };
}

/** The order of the runs: pair i runs side A first when i is even, B first when odd (ABBA). */
export function pairOrder(i: number): Array<'a' | 'b'> {
  return i % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
}

export function summarizePairs(pairs: readonly Pair[]): PairedSummary | null {
  if (pairs.length === 0) return null;
  const withP99 = pairs.filter((p): p is { a: { rps: number; p99: number }; b: { rps: number; p99: number } } => !!p.a.p99 && !!p.b.p99);
  return {
    pairs: pairs.length,
    rpsA: spread(pairs.map((p) => p.a.rps))!,
    rpsB: spread(pairs.map((p) => p.b.rps))!,
    rpsRatio: spread(pairs.map((p) => p.b.rps / Math.max(1, p.a.rps)), true)!,
    p99A: spread(withP99.map((p) => p.a.p99)),
    p99B: spread(withP99.map((p) => p.b.p99)),
    p99Ratio: spread(withP99.map((p) => p.b.p99 / p.a.p99), true),
  };
}

/**
 * Whether side B is shown within `tolerance` of side A (requests/s no lower, p99 no higher, by that fraction), by the
 * ratios' median intervals: "yes" when the whole interval is within, "no" when the whole interval is beyond, "?"
 * when it straddles the line (the pairs cannot tell) or there is no interval.
 */
export function withinVerdict(s: PairedSummary, tolerance = 0.05): { rps: 'yes' | 'no' | '?'; p99: 'yes' | 'no' | '?' } {
  const judge = (ci: Spread['ci'], ok: (x: number) => boolean): 'yes' | 'no' | '?' => {
    if (!ci) return '?';
    const lo = ok(ci.lo), hi = ok(ci.hi);
    return lo && hi ? 'yes' : !lo && !hi ? 'no' : '?';
  };
  return {
    rps: judge(s.rpsRatio.ci, (x) => x >= 1 - tolerance),
    p99: judge(s.p99Ratio?.ci, (x) => x <= 1 + tolerance),
  };
}

const num = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const cell = (s: Spread | null, unit = ''): string => {
  if (!s) return '-';
  const ci = s.ci ? ` [${num(s.ci.lo)}–${num(s.ci.hi)}]` : '';
  return `${num(s.median)}${unit}${ci} (${num(s.min)}–${num(s.max)})`;
};

/** Table cells: req/s A, B, B/A; p99 A, B, B/A (each a median, a ratio's interval, the range); B within 5 % of A. */
export function pairedCells(s: PairedSummary): string[] {
  const v = withinVerdict(s);
  return [cell(s.rpsA), cell(s.rpsB), cell(s.rpsRatio, '×'), cell(s.p99A, ' ms'), cell(s.p99B, ' ms'), cell(s.p99Ratio, '×'), `${v.rps} · ${v.p99}`];
}

/**
 * wrk in one window of a run, keep-alive and close together (requests/s summed, p99 the worse) or one mode alone:
 * success counts, requests/s, p99.
 */
export function wrkIn(r: LabReport, window: string, mode?: WrkMode): { ok: number; failed: number; rps: number; p99: number | null } | null {
  const rows = (r.wrk ?? []).filter((w) => w.window === window && (mode === undefined || w.mode === mode));
  // A wrk run that gave no report (it died before printing: seen 3 times in ~100 runs) is no figure, not 0 requests.
  if (rows.length === 0 || rows.some((w) => !w.result)) return null;
  const s = rows.map((w) => wrkSuccess(w.result!));
  const p99s = rows.map((w) => w.result!.latencyMs.p99).filter((x): x is number => x !== null);
  return {
    ok: s.reduce((n, x) => n + x.ok, 0), failed: s.reduce((n, x) => n + x.failed, 0),
    rps: rows.reduce((n, w) => n + w.result!.requestsPerSec, 0), p99: p99s.length ? Math.max(...p99s) : null,
  };
}

export const PAIRED_WINDOWS = ['baseline', 'attack, first 5 s', 'attack, after 5 s'] as const;
export const PAIRED_LEGEND = `Each cell: the median over the pairs (min–max). A ratio is each pair's own, then their median [its ${CI_LEVEL * 100} % confidence interval, from order statistics]. "within 5 %": requests/s · p99 of the second side against the first, "yes" when the whole interval is within 5 %, "no" when it is all beyond, "?" when the pairs cannot tell.`;

/** The table's header for sides A and B (their names: off, on, rules). */
export function pairedHeader(a: string, b: string): string {
  return `| scenario | server | pairs | req/s ${a} | req/s ${b} | req/s ${b}/${a} | p99 ${a} | p99 ${b} | p99 ${b}/${a} | within 5 % | load average (1 min) |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|`;
}

/** One table row per window and wrk mode (both together, keep-alive, close), keyed by "window, mode". */
export function pairedRows(name: string, server: string, a: readonly LabReport[], b: readonly LabReport[], loads: readonly number[]): Array<[string, string]> {
  const load = loads.length ? `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}` : '-';
  const out: Array<[string, string]> = [];
  for (const window of PAIRED_WINDOWS) {
    for (const mode of [undefined, 'keep-alive', 'close'] as const) {
      const fig = (r: LabReport): RunFigures | null => {
        const f = wrkIn(r, window, mode);
        return f && { rps: f.rps, p99: f.p99 };
      };
      // A pair where either side has no figure for this window is left out (the row's pair count says how many stay).
      const pairs = a.slice(0, b.length).map((r, i) => ({ a: fig(r), b: fig(b[i]!) }));
      const s = summarizePairs(pairs.filter((p): p is Pair => p.a !== null && p.b !== null));
      if (s) out.push([`${window}, ${mode ?? 'keep-alive + close'}`, `| ${name} | ${server} | ${s.pairs} | ${pairedCells(s).join(' | ')} | ${load} |`]);
    }
  }
  return out;
}
