// Runs wrk from the client namespace once per window (and per mode), each run bounded by its window; collects the parsed figures.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBounded } from '../core/exec.js';
import type { PhaseWindow } from './plan.js';
import { parseWrk, wrkArgs, type WrkMode, type WrkResult } from './wrk.js';

export interface WrkWindowResult {
  window: string;
  mode: WrkMode;
  /** ms since t = 0. */
  start: number;
  end: number;
  result: WrkResult | null;
  /** Set when wrk failed or printed no report. */
  error?: string;
  /** wrk still ran 2 s after its window and was stopped with SIGINT: its figures cover a shorter time (result.durationS). */
  interrupted?: true;
  /** A real server's processes as the window started and ended (Apache prefork's pool: docs/benchmarks.md, round 20). */
  serverProcesses?: { start: number; end: number };
}

/** Counts the victim server's processes now. */
export type ProcessCount = () => number;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

async function runOne(ns: string, url: string, w: PhaseWindow, mode: WrkMode, connections: number, origin: number, outDir: string | null, count: ProcessCount | null): Promise<WrkWindowResult> {
  await sleep(origin + w.start - Date.now());
  const durationS = Math.floor((w.end - w.start) / 1000);
  const start = Date.now() - origin;
  const before = count?.();
  // wrk sleeps its duration only once it has set up, and a flood that takes the CPUs (cookies off) delayed that by 4 s
  // and more: still asleep when the window was over, it was killed before printing anything (round 20). SIGINT is
  // wrk's own stop: during that sleep it makes wrk print what it measured, over the time it measured (its report's
  // duration); one that comes before the sleep is lost, so another follows each second.
  const ms = durationS * 1000;
  const run = await runBounded('wrk', wrkArgs(url, { connections, durationS, mode }), { netns: ns, interruptMs: ms + 2000, killMs: ms + 10_000 });
  const out = run.output;
  const how = run.code === null ? `killed by ${run.signal ?? 'a signal'}` : `exit ${run.code}`;
  if (outDir) writeFileSync(join(outDir, `wrk-${w.name.replace(/[^a-z0-9]+/gi, '-')}-${mode}.txt`), out);
  const result = parseWrk(out);
  const base = {
    window: w.name, mode, start, end: Date.now() - origin, result,
    ...(run.interrupted ? { interrupted: true as const } : {}),
    ...(count && before !== undefined ? { serverProcesses: { start: before, end: count() } } : {}),
  };
  return result ? base : { ...base, error: `${out.trim().split('\n').slice(-2).join(' / ') || 'no output'} (wrk: ${how})` };
}

/**
 * Runs each window in turn (each mode side by side within a window); resolves after the last. wrk's own text goes to
 * outDir; with `count`, each window records the server's processes at its start and end.
 */
export async function runWrkWindows(ns: string, url: string, windows: readonly PhaseWindow[], modes: readonly WrkMode[], connections: number, origin: number, outDir: string | null = null, count: ProcessCount | null = null): Promise<WrkWindowResult[]> {
  const out: WrkWindowResult[] = [];
  for (const w of windows) out.push(...(await Promise.all(modes.map((m) => runOne(ns, url, w, m, connections, origin, outDir, count)))));
  return out;
}
