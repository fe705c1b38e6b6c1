// Victim TCP counters (TcpExt in /proc/net/netstat, read inside the victim namespace) that prove an attack really reached it.
import { exec, type Exec } from '../core/exec.js';

/** The counters the lab report keeps. */
export const KEPT_COUNTERS = ['TCPReqQFullDoCookies', 'TCPReqQFullDrop', 'SyncookiesSent', 'SyncookiesRecv', 'SyncookiesFailed', 'ListenOverflows', 'ListenDrops'] as const;

/** Parses /proc/net/netstat (header line then value line per group) into `Group.Name → value`, keeping only TcpExt. */
export function parseTcpExt(text: string): Record<string, number> {
  const lines = text.split('\n');
  const out: Record<string, number> = {};
  for (let i = 0; i + 1 < lines.length; i++) {
    const head = lines[i]?.split(/\s+/) ?? [];
    const vals = lines[i + 1]?.split(/\s+/) ?? [];
    if (head[0] !== 'TcpExt:' || vals[0] !== 'TcpExt:') continue;
    head.slice(1).forEach((name, j) => {
      const v = Number(vals[j + 1]);
      if (name && Number.isFinite(v)) out[name] = v;
    });
    break;
  }
  return out;
}

/** The kept counters of namespace `ns` (0 when absent). */
export async function readVictimCounters(ns: string, run: Exec = exec): Promise<Record<string, number>> {
  const r = await run('cat', ['/proc/net/netstat'], { netns: ns });
  const all = r.failed ? {} : parseTcpExt(r.stdout);
  return Object.fromEntries(KEPT_COUNTERS.map((k) => [k, all[k] ?? 0]));
}

/** after − before, per counter. */
export function counterDelta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.keys(after).map((k) => [k, (after[k] ?? 0) - (before[k] ?? 0)]));
}
