// Defender off against on, measured in interleaved pairs (off, on, on, off, ...) so that the machine's slow drift
// (other sessions' load) falls on both sides alike. Each pair gives one on/off ratio; the summary is the median of
// those ratios and their range, beside the medians of each side. Pure: the caller passes the figures.
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
