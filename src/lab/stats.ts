// Pure statistics over probe samples: nearest-rank percentiles, per-window summaries and fixed-width time buckets.
import type { Sample } from './probe.js';

export interface LegitStats {
  attempts: number;
  succeeded: number;
  /** Connect latency of successful attempts; null when none succeeded. */
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  errors: Record<string, number>;
}

export interface Bucket extends LegitStats {
  /** Bucket start and end, in ms since the scenario's start. */
  start: number;
  end: number;
}

/** Nearest-rank percentile of an ascending array (p in 0-100); null for an empty array. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? null;
}

const round = (v: number | null): number | null => (v === null ? null : Math.round(v * 100) / 100);

/** Attempts, successes, connect-latency percentiles and errors by kind of some samples. */
export function summarize(samples: readonly Sample[]): LegitStats {
  const lat = samples.filter((s) => s.ok && s.connectMs !== null).map((s) => s.connectMs as number).sort((a, b) => a - b);
  const errors: Record<string, number> = {};
  for (const s of samples) if (!s.ok) errors[s.error ?? 'unknown'] = (errors[s.error ?? 'unknown'] ?? 0) + 1;
  return {
    attempts: samples.length,
    succeeded: samples.filter((s) => s.ok).length,
    p50Ms: round(percentile(lat, 50)),
    p95Ms: round(percentile(lat, 95)),
    p99Ms: round(percentile(lat, 99)),
    errors,
  };
}

/** Samples whose start falls in [start, end) ms after `origin` (epoch ms). */
export function within(samples: readonly Sample[], origin: number, start: number, end: number): Sample[] {
  return samples.filter((s) => s.t - origin >= start && s.t - origin < end);
}

/** Splits [0, totalMs) into buckets of bucketMs (the last may be shorter) and summarises each; attempts counted by start time. */
export function bucketize(samples: readonly Sample[], origin: number, totalMs: number, bucketMs: number): Bucket[] {
  if (!(bucketMs > 0)) throw new RangeError(`bucketMs must be positive, got ${bucketMs}`);
  const out: Bucket[] = [];
  for (let start = 0; start < totalMs; start += bucketMs) {
    const end = Math.min(totalMs, start + bucketMs);
    out.push({ start, end, ...summarize(within(samples, origin, start, end)) });
  }
  return out;
}

/** Attempts and successes per source address (a defender's collateral damage shows up here). */
export function bySource(samples: readonly Sample[]): Record<string, { attempts: number; succeeded: number }> {
  const out: Record<string, { attempts: number; succeeded: number }> = {};
  for (const s of samples) {
    const e = (out[s.src ?? 'default'] ??= { attempts: 0, succeeded: 0 });
    e.attempts++;
    if (s.ok) e.succeeded++;
  }
  return out;
}
