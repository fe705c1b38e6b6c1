// What `status` says about the daemon: running or not (pid file), since when, and the active bans in its store.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { PID_FILE, runningDaemon } from '../daemon/pidfile.js';
import { openStoreIfPresent } from '../store/index.js';
import { left } from './when.js';

export interface DaemonInfo {
  readonly running: boolean;
  readonly pid: number | null;
  readonly stateDir: string;
  /** Since the daemon wrote its pid file; null when it does not run. */
  readonly uptimeSeconds: number | null;
  /** Active bans in the store; null when there is no store (or it cannot be read). */
  readonly activeBans: number | null;
}

function activeBans(stateDir: string, now: number): number | null {
  try {
    const store = openStoreIfPresent(stateDir); // never creates the directory or a database
    if (!store) return null;
    try {
      return store.decisions.active(now).length;
    } finally {
      store.close();
    }
  } catch {
    return null; // not readable by this user: status still works
  }
}

/** Reads the pid file and the store of `stateDir`; creates nothing. */
export function daemonInfo(stateDir: string, now: number): DaemonInfo {
  const pid = runningDaemon(stateDir);
  let uptimeSeconds: number | null = null;
  if (pid !== null) {
    try {
      uptimeSeconds = Math.max(0, Math.round((now - statSync(join(stateDir, PID_FILE)).mtimeMs) / 1000));
    } catch {
      uptimeSeconds = null;
    }
  }
  return { running: pid !== null, pid, stateDir, uptimeSeconds, activeBans: activeBans(stateDir, now) };
}

/** One line: "daemon: running (pid 1234, up 3h4m), 2 active bans, state /var/lib/synguard". */
export function daemonLine(d: DaemonInfo): string {
  const bans = d.activeBans === null ? 'no store yet' : `${d.activeBans} active ban${d.activeBans === 1 ? '' : 's'}`;
  const state = d.running ? `running (pid ${d.pid}${d.uptimeSeconds === null ? '' : `, up ${left(d.uptimeSeconds * 1000, 0)}`})` : 'not running';
  return `daemon: ${state}, ${bans}, state ${d.stateDir}`;
}
