// wrk as the lab's real load client: its arguments (keep-alive or `Connection: close`, bounded duration) and a pure
// parser of its text output (requests/s, latency percentiles from --latency, every error kind, non-2xx/3xx).

export type WrkMode = 'keep-alive' | 'close';

export interface WrkResult {
  requests: number;
  durationS: number;
  requestsPerSec: number;
  /** From `Latency Distribution` (--latency); null when wrk printed none (no request completed). */
  latencyMs: { p50: number | null; p75: number | null; p90: number | null; p99: number | null };
  errors: { connect: number; read: number; write: number; timeout: number; non2xx3xx: number };
}

/** wrk's arguments: one thread, `connections` connections, whole seconds (wrk takes no fractions), --latency. */
export function wrkArgs(url: string, o: { connections: number; durationS: number; mode: WrkMode; timeoutS?: number }): string[] {
  const d = Math.max(1, Math.min(30, Math.floor(o.durationS)));
  const args = ['-t1', `-c${o.connections}`, `-d${d}s`, `--timeout`, `${o.timeoutS ?? 2}s`, '--latency'];
  if (o.mode === 'close') args.push('-H', 'Connection: close');
  return [...args, url];
}

const UNIT_MS: Readonly<Record<string, number>> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "213.48us" → 0.21348; null when not a wrk time. */
export function wrkTimeMs(text: string): number | null {
  const m = /^([\d.]+)(us|ms|s|m|h)$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? NaN);
}

/** Parses wrk's report; null when it is not one (wrk failed before running). */
export function parseWrk(text: string): WrkResult | null {
  const total = /(\d+) requests in ([\d.]+)(us|ms|s|m|h)/.exec(text);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(text);
  if (!total || !rps) return null;
  const pct = (p: number): number | null => {
    const m = new RegExp(`^\\s+${p}%\\s+(\\S+)\\s*$`, 'm').exec(text.split('Latency Distribution')[1] ?? '');
    return m ? wrkTimeMs(m[1] ?? '') : null;
  };
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const non = /Non-2xx or 3xx responses: (\d+)/.exec(text);
  return {
    requests: Number(total[1]),
    durationS: (wrkTimeMs(`${total[2] ?? ''}${total[3] ?? ''}`) ?? 0) / 1000,
    requestsPerSec: Number(rps[1]),
    latencyMs: { p50: pct(50), p75: pct(75), p90: pct(90), p99: pct(99) },
    errors: {
      connect: Number(sock?.[1] ?? 0), read: Number(sock?.[2] ?? 0), write: Number(sock?.[3] ?? 0), timeout: Number(sock?.[4] ?? 0),
      non2xx3xx: Number(non?.[1] ?? 0),
    },
  };
}

/**
 * Requests that succeeded and the share of all outcomes they are: successes are responses that were 2xx/3xx; failures
 * are non-2xx/3xx responses plus every socket error (connect, read, write, timeout), each counted once.
 */
export function wrkSuccess(r: WrkResult): { ok: number; failed: number; ratio: number | null } {
  const ok = Math.max(0, r.requests - r.errors.non2xx3xx);
  const failed = r.errors.non2xx3xx + r.errors.connect + r.errors.read + r.errors.write + r.errors.timeout;
  return { ok, failed, ratio: ok + failed === 0 ? null : ok / (ok + failed) };
}
