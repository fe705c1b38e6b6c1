// What `status` says about the daemon: running or not (pid file), since when, its backend, and from its store the
// active bans and the sysctls it holds raised.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { lastTick, PID_FILE, runningDaemon } from '../store/pidfile.js';
import { openStoreIfPresent } from '../store/index.js';
import { left } from './when.js';

export interface DaemonInfo {
  readonly running: boolean;
  readonly pid: number | null;
  readonly stateDir: string;
  /** Since the daemon wrote its pid file; null when it does not run. */
  readonly uptimeSeconds: number | null;
  /** Since the daemon last completed a tick; null when it does not run or has not completed one yet. */
  readonly lastTickSeconds: number | null;
  /** defender.backend, or "dry-run" when the config says so (the configured one: `run --dry-run` is not seen). */
  readonly backend: string;
  /** Active bans in the store; null when there is no store (or it cannot be read). */
  readonly activeBans: number | null;
  /** The sysctls raised whose originals the store holds for restoring; null when there is no store. */
  readonly hardeningHeld: readonly string[] | null;
}

function fromStore(stateDir: string, now: number): { activeBans: number | null; hardeningHeld: string[] | null } {
  const none = { activeBans: null, hardeningHeld: null };
  try {
    const store = openStoreIfPresent(stateDir); // never creates the directory or a database
    if (!store) return none;
    try {
      return { activeBans: store.decisions.active(now).length, hardeningHeld: [...store.sysctls.originals().keys()].sort() };
    } finally {
      store.close();
    }
  } catch {
    return none; // not readable by this user: status still works
  }
}

/** Reads the pid file and the store of `stateDir`; creates nothing. */
export function daemonInfo(stateDir: string, backend: string, now: number): DaemonInfo {
  const pid = runningDaemon(stateDir);
  let uptimeSeconds: number | null = null;
  if (pid !== null) {
    try {
      uptimeSeconds = Math.max(0, Math.round((now - statSync(join(stateDir, PID_FILE)).mtimeMs) / 1000));
    } catch {
      uptimeSeconds = null;
    }
  }
  const tickAt = pid === null ? null : lastTick(stateDir);
  const lastTickSeconds = tickAt === null ? null : Math.max(0, Math.round((now - tickAt) / 100) / 10);
  return { running: pid !== null, pid, stateDir, uptimeSeconds, lastTickSeconds, backend, ...fromStore(stateDir, now) };
}

/** A tick older than this many intervals means the daemon is stuck (or stopped without removing its pid file). */
const STALLED_TICKS = 5;

/**
 * One line: "daemon: running (pid 1234, up 3h4m, last tick 0.4s ago), backend nftables, 2 active bans, hardening held
 * (3 sysctls), state …". `intervalSeconds` (defender.interval) tells a stalled daemon from a slow one.
 */
export function daemonLine(d: DaemonInfo, intervalSeconds = 1): string {
  const tick = d.lastTickSeconds === null
    ? (d.running ? ', no tick yet' : '')
    : `, last tick ${d.lastTickSeconds}s ago${d.lastTickSeconds > STALLED_TICKS * intervalSeconds ? ' (STALLED?)' : ''}`;
  const held = d.hardeningHeld?.length ? `, hardening held (${d.hardeningHeld.length} sysctl${d.hardeningHeld.length === 1 ? '' : 's'})` : '';
  const bans = d.activeBans === null ? 'no store yet' : `${d.activeBans} active ban${d.activeBans === 1 ? '' : 's'}${held}`;
  const state = d.running ? `running (pid ${d.pid}${d.uptimeSeconds === null ? '' : `, up ${left(d.uptimeSeconds * 1000, 0)}`}${tick})` : 'not running';
  return `daemon: ${state}, backend ${d.backend}, ${bans}, state ${d.stateDir}`;
}
