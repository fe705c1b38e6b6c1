// Test support: a child process that prints JSON lines (the daemon's log, a test receiver, the browser driver),
// collected as they come, with a wait for the first line that matches; and the daemon started that way in a namespace.
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnLong, type Spawned } from '../core/exec.js';
import { wallClock } from './clock.js';

export type Line = Record<string, unknown> & { event?: string };

export interface JsonLines {
  readonly lines: Line[];
  /** True once the process printed a line that is exactly `listening` (test receivers do). */
  ready(): boolean;
  /** The first line at index `from` or later that matches; throws after `ms` naming `what` and what was seen. */
  waitFor(pred: (l: Line) => boolean, options?: { ms?: number; what?: string; from?: number }): Promise<Line>;
}

/** `failOn`: a line that means the process gave up (its message is thrown at once instead of waiting it out). */
export function jsonLines(child: Spawned['child'], failOn: (l: Line) => string | null = () => null): JsonLines {
  const lines: Line[] = [];
  let stderr = '';
  let ready = false;
  createInterface({ input: child.stdout! }).on('line', (l) => {
    if (l === 'listening') ready = true;
    try { lines.push(JSON.parse(l) as Line); } catch { /* not JSON */ }
  });
  child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
  const waitFor: JsonLines['waitFor'] = async (pred, { ms = 30_000, what = 'the expected line', from = 0 } = {}) => {
    for (const start = wallClock(); wallClock() - start < ms; await sleep(50)) {
      const seen = lines.slice(from);
      const hit = seen.find(pred);
      if (hit) return hit;
      const failed = seen.map(failOn).find((m) => m !== null);
      if (failed) throw new Error(failed);
    }
    const got = lines.map((l) => String(l.event ?? l['type'])).join(', ');
    throw new Error(`never saw ${what} within ${ms} ms; got: ${got}${stderr ? `; stderr: ${stderr}` : ''}`);
  };
  return { lines, ready: () => ready, waitFor };
}

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));

/**
 * `synguard run` inside a namespace with its own state directory (and `extra` arguments), its log collected; `env`
 * replaces its environment (a PATH with a stand-in `nft`, for fault tests).
 */
export function startDaemon(ns: string, stateDir: string, extra: readonly string[] = [], env?: NodeJS.ProcessEnv): Spawned & JsonLines {
  const spawned = spawnLong(process.execPath, [CLI, 'run', '--state-dir', stateDir, ...extra], { netns: ns, ...(env ? { env } : {}) });
  return { ...spawned, ...jsonLines(spawned.child) };
}
