// What `status` says about the daemon: running or not (pid file), since when, its backend, and from its store the
// active bans and the sysctls it holds raised.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { PID_FILE, runningDaemon } from '../daemon/pidfile.js';
import { hasStore } from './state-dir.js';
import { left } from './when.js';

export interface DaemonInfo {
  readonly running: boolean;
  readonly pid: number | null;
  readonly stateDir: string;
  /** Since the daemon wrote its pid file; null when it does not run. */
  readonly uptimeSeconds: number | null;
  /** defender.backend, or "dry-run" when the config says so (the configured one: `run --dry-run` is not seen). */
  readonly backend: string;
  /** Active bans in the store; null when there is no store (or it cannot be read). */
  readonly activeBans: number | null;
  /** The sysctls raised whose originals the store holds for restoring; null when there is no store. */
  readonly hardeningHeld: readonly string[] | null;
}

async function fromStore(stateDir: string, now: number): Promise<{ activeBans: number | null; hardeningHeld: string[] | null }> {
  const none = { activeBans: null, hardeningHeld: null };
  if (!hasStore(stateDir)) return none; // SQLite is loaded only when there is a store to read
  try {
    const { openStoreIfPresent } = await import('../store/open.js');
    const store = openStoreIfPresent(stateDir); // never creates the directory or a database
    if (!store) return none;
    try {
      return { activeBans: store.decisions.activeCount(now), hardeningHeld: [...store.sysctls.originals().keys()].sort() };
    } finally {
      store.close();
    }
  } catch {
    return none; // not readable by this user: status still works
  }
}

/** Reads the pid file and the store of `stateDir`; creates nothing. */
export async function daemonInfo(stateDir: string, backend: string, now: number): Promise<DaemonInfo> {
  const pid = runningDaemon(stateDir);
  let uptimeSeconds: number | null = null;
  if (pid !== null) {
    try {
      uptimeSeconds = Math.max(0, Math.round((now - statSync(join(stateDir, PID_FILE)).mtimeMs) / 1000));
    } catch {
      uptimeSeconds = null;
    }
  }
  return { running: pid !== null, pid, stateDir, uptimeSeconds, backend, ...(await fromStore(stateDir, now)) };
}

/** One line: "daemon: running (pid 1234, up 3h4m), backend nftables, 2 active bans, hardening held (3 sysctls), state …". */
export function daemonLine(d: DaemonInfo): string {
  const held = d.hardeningHeld?.length ? `, hardening held (${d.hardeningHeld.length} sysctl${d.hardeningHeld.length === 1 ? '' : 's'})` : '';
  const bans = d.activeBans === null ? 'no store yet' : `${d.activeBans} active ban${d.activeBans === 1 ? '' : 's'}${held}`;
  const state = d.running ? `running (pid ${d.pid}${d.uptimeSeconds === null ? '' : `, up ${left(d.uptimeSeconds * 1000, 0)}`})` : 'not running';
  return `daemon: ${state}, backend ${d.backend}, ${bans}, state ${d.stateDir}`;
}
