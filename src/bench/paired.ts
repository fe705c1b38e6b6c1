// Defender off against on, measured in interleaved pairs (off, on, on, off, ...) so that the machine's slow drift
// (other sessions' load) falls on both sides alike. Each pair gives one on/off ratio; the summary is the median of
// those ratios and their range, beside the medians of each side. Pure: the caller passes the figures.
import type { LabReport } from '../lab/report.js';
import { wrkSuccess, type WrkMode } from '../lab/wrk.js';
import { median } from './measure.js';

/** One run's figures in one window: requests per second and the p99 latency (ms), null when wrk gave none. */
export interface RunFigures {
  readonly rps: number;
  readonly p99: number | null;
}

export interface Pair {
  readonly off: RunFigures;
  readonly on: RunFigures;
}

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export interface PairedSummary {
  readonly pairs: number;
  readonly rpsOff: Spread;
  readonly rpsOn: Spread;
  /** Per pair on ÷ off: above 1 means more requests with the defender on. */
  readonly rpsRatio: Spread;
  readonly p99Off: Spread | null;
  readonly p99On: Spread | null;
  /** Per pair on ÷ off: above 1 means a worse tail with the defender on. */
  readonly p99Ratio: Spread | null;
}

function spread(xs: readonly number[]): Spread | null {
  return xs.length === 0 ? null : { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
}

/** The order of the runs: pair i runs off first when i is even, on first when odd (ABBA). */
export function pairOrder(i: number): Array<'off' | 'on'> {
  return i % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
}

export function summarizePairs(pairs: readonly Pair[]): PairedSummary | null {
  if (pairs.length === 0) return null;
  const withP99 = pairs.filter((p): p is { off: { rps: number; p99: number }; on: { rps: number; p99: number } } => !!p.off.p99 && !!p.on.p99);
  return {
    pairs: pairs.length,
    rpsOff: spread(pairs.map((p) => p.off.rps))!,
    rpsOn: spread(pairs.map((p) => p.on.rps))!,
    rpsRatio: spread(pairs.map((p) => p.on.rps / Math.max(1, p.off.rps)))!,
    p99Off: spread(withP99.map((p) => p.off.p99)),
    p99On: spread(withP99.map((p) => p.on.p99)),
    p99Ratio: spread(withP99.map((p) => p.on.p99 / p.off.p99)),
  };
}

const num = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const cell = (s: Spread | null, unit = ''): string => (s ? `${num(s.median)}${unit} (${num(s.min)}–${num(s.max)})` : '-');

/** Table cells: req/s off, on, on/off; p99 off, on, on/off (each a median and its range). */
export function pairedCells(s: PairedSummary): string[] {
  return [cell(s.rpsOff), cell(s.rpsOn), cell(s.rpsRatio, '×'), cell(s.p99Off, ' ms'), cell(s.p99On, ' ms'), cell(s.p99Ratio, '×')];
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
export const PAIRED_LEGEND = 'Each cell: the median over the pairs (min–max); on/off is each pair\'s own ratio, then their median.';
export const PAIRED_HEADER = '| scenario | server | pairs | req/s off | req/s on | req/s on/off | p99 off | p99 on | p99 on/off | load average (1 min) |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|';

/** One table row per window and wrk mode (both together, keep-alive, close), keyed by "window, mode". */
export function pairedRows(name: string, server: string, off: readonly LabReport[], on: readonly LabReport[], loads: readonly number[]): Array<[string, string]> {
  const load = loads.length ? `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}` : '-';
  const out: Array<[string, string]> = [];
  for (const window of PAIRED_WINDOWS) {
    for (const mode of [undefined, 'keep-alive', 'close'] as const) {
      const fig = (r: LabReport): RunFigures | null => {
        const f = wrkIn(r, window, mode);
        return f && { rps: f.rps, p99: f.p99 };
      };
      // A pair where either side has no figure for this window is left out (the row's pair count says how many stay).
      const pairs = off.slice(0, on.length).map((r, i) => ({ off: fig(r), on: fig(on[i]!) }));
      const s = summarizePairs(pairs.filter((p): p is { off: RunFigures; on: RunFigures } => p.off !== null && p.on !== null));
      if (s) out.push([`${window}, ${mode ?? 'keep-alive + close'}`, `| ${name} | ${server} | ${s.pairs} | ${pairedCells(s).join(' | ')} | ${load} |`]);
    }
  }
  return out;
}
