// Runs competing commands in interleaved rounds and reports medians; the machine is shared, so only ratios matter.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { exec, type ExecOptions } from '../core/exec.js';
import { parseStatTimes } from '../observe/proc-stat.js';

export interface Contender {
  readonly name: string;
  readonly file: string;
  readonly args: readonly string[];
  readonly options?: ExecOptions;
}

export interface Timing {
  wallMs: number[];
  /** Only for synguard: time inside the process (no Node start-up), cold and warm, and its peak RSS. */
  innerMs: number[];
  warmMs: number[];
  rssMB: number[];
  extra: Record<string, unknown>[];
}

/**
 * CPU time of a process and of its children that have ended, in clock ticks (1/100 s; /proc/PID/stat fields 14–17):
 * the daemon's cost includes the `ss` and `nft` it runs (since 2026-12-05; before, fields 14 and 15 only).
 */
export function cpuTicks(pid: number): number {
  const t = parseStatTimes(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  if (t === null) throw new Error(`/proc/${pid}/stat: no CPU times`);
  return t.utime + t.stime + t.cutime + t.cstime;
}

/** The whole machine's CPU time so far, in clock ticks (/proc/stat, first line; guest time is already in user). */
export interface MachineTicks {
  readonly total: number;
  /** Neither idle nor waiting on I/O (steal included). */
  readonly busy: number;
  /** system + irq + softirq: packets are handled in softirq (and system, for the socket work). */
  readonly kernel: number;
  /** Time the hypervisor gave to other guests. */
  readonly steal: number;
}

export function machineTicks(): MachineTicks {
  // user nice system idle iowait irq softirq steal
  const f = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1, 9).map(Number);
  const total = f.reduce((s, x) => s + x, 0);
  return { total, busy: total - (f[3] ?? 0) - (f[4] ?? 0), kernel: (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0), steal: f[7] ?? 0 };
}

/** Share of the machine's CPU time stolen between two readings. */
export function stealShare(a: MachineTicks, b: MachineTicks): number {
  return b.total > a.total ? (b.steal - a.steal) / (b.total - a.total) : 0;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** One round: each contender once, in order; throws when a command fails. */
export async function round(contenders: readonly Contender[], timings: Map<string, Timing>): Promise<void> {
  for (const c of contenders) {
    const t0 = performance.now();
    const res = await exec(c.file, c.args, { timeoutMs: 120_000, ...c.options });
    const wall = performance.now() - t0;
    if (res.failed) throw new Error(`${c.name} failed: ${res.stderr.trim().slice(0, 300)}`);
    let t = timings.get(c.name);
    if (!t) timings.set(c.name, (t = { wallMs: [], innerMs: [], warmMs: [], rssMB: [], extra: [] }));
    t.wallMs.push(wall);
    const last = res.stdout.trim().split('\n').pop() ?? '';
    if (last.startsWith('{')) {
      const j = JSON.parse(last) as { ms: number; warmMs: number | null; maxRssMB: number } & Record<string, unknown>;
      t.innerMs.push(j.ms);
      if (j.warmMs !== null) t.warmMs.push(j.warmMs);
      t.rssMB.push(j.maxRssMB);
      t.extra.push(j);
    }
  }
}
