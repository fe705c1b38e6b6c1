// Run ownership: each live run records its pid in /run/synguard-lab/<id>.pid so `lab down` never tears down a run still in progress.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alive } from '../store/pidfile.js';

export const OWNER_DIR = process.env['SYNGUARD_LAB_RUN_DIR'] ?? '/run/synguard-lab';

/** Records that this process owns run `id`. */
export function claimRun(id: string, pid = process.pid, dir = OWNER_DIR): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${id}.pid`), `${pid}\n`);
}

/** Forgets run `id`. */
export function releaseRun(id: string, dir = OWNER_DIR): void {
  rmSync(join(dir, `${id}.pid`), { force: true });
}

/** Run ids with an owner file. */
export function ownedRuns(dir = OWNER_DIR): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => /^[0-9a-f]{6}\.pid$/.test(f))
      .map((f) => f.slice(0, 6));
  } catch {
    return [];
  }
}

/** The live process that owns run `id`, or null (no owner file, or its process is gone). */
export function runOwner(id: string, dir = OWNER_DIR): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dir, `${id}.pid`), 'utf8').trim());
  } catch {
    return null;
  }
  return Number.isInteger(pid) && pid > 1 && alive(pid) ? pid : null;
}

/** True when the process that owns run `id` is still alive. */
export function runIsLive(id: string, dir = OWNER_DIR): boolean {
  return runOwner(id, dir) !== null;
}
