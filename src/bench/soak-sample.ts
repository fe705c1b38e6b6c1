// The soak's readings of one running daemon: RSS and open fds from /proc/PID, the store's size on disk, and its
// loop time and ban counters from its own /metrics (read inside its namespace).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { exec } from '../core/exec.js';

export interface Reading {
  readonly atMs: number;
  readonly rssMB: number;
  readonly fds: number;
  /** synguard.db, and its -wal file, MB. */
  readonly dbMB: number;
  readonly walMB: number;
  /** Mean loop pass since the previous reading, ms (NaN on the first or when /metrics did not answer). */
  readonly tickMs: number;
  readonly bansActive: number;
  readonly bansIssued: number;
  readonly bansExpired: number;
}

export interface LoopTotals { readonly sum: number; readonly count: number }

const sizeMB = (path: string): number => {
  try {
    return statSync(path).size / 1024 / 1024;
  } catch {
    return 0;
  }
};

/** One value of a metric in Prometheus text (the sum over its label sets), NaN when absent. */
export function metricValue(text: string, name: string): number {
  let found = false, sum = 0;
  for (const m of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))) {
    found = true;
    sum += Number(m[1]);
  }
  return found ? sum : NaN;
}

async function metricsText(ns: string): Promise<string> {
  const js = "const r = await fetch('http://127.0.0.1:9717/metrics'); console.log(await r.text())";
  return (await exec(process.execPath, ['--input-type=module', '-e', js], { netns: ns, timeoutMs: 10_000 })).stdout;
}

/** Reads everything once; `prev` is the loop totals of the previous reading (for the mean tick in between). */
export async function readDaemon(pid: number, ns: string, stateDir: string, prev: LoopTotals | null, atMs: number): Promise<{ reading: Reading; loop: LoopTotals }> {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKB = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN);
  const fds = readdirSync(`/proc/${pid}/fd`).length;
  const db = join(stateDir, 'synguard.db');
  const text = await metricsText(ns);
  const loop = { sum: metricValue(text, 'synguard_loop_duration_seconds_sum'), count: metricValue(text, 'synguard_loop_duration_seconds_count') };
  const tickMs = prev && loop.count > prev.count ? (1000 * (loop.sum - prev.sum)) / (loop.count - prev.count) : NaN;
  return {
    reading: {
      atMs, rssMB: rssKB / 1024, fds, dbMB: sizeMB(db), walMB: sizeMB(`${db}-wal`), tickMs,
      bansActive: text ? metricValue(text, 'synguard_bans_active') || 0 : NaN, // no label set yet: none active
      bansIssued: metricValue(text, 'synguard_bans_issued_total'),
      bansExpired: metricValue(text, 'synguard_bans_expired_total'),
    },
    loop,
  };
}
