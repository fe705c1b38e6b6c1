// What `status` says about the daemon: running or not (pid file), since when, its backend, and from its store the
// active bans, the sysctls it holds raised and the attack it has open.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { lastTick, PID_FILE, runningDaemon } from '../store/pidfile.js';
import { hasStore } from './state-dir.js';
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
  /** The kind of the attack the running daemon has open (its proven limit is then in force); null when calm. */
  readonly attack: string | null;
}

type FromStore = Pick<DaemonInfo, 'activeBans' | 'hardeningHeld' | 'attack'>;

async function fromStore(stateDir: string, now: number): Promise<FromStore> {
  const none = { activeBans: null, hardeningHeld: null, attack: null };
  if (!hasStore(stateDir)) return none; // SQLite is loaded only when there is a store to read
  try {
    const { openStoreIfPresent } = await import('../store/open.js');
    const store = openStoreIfPresent(stateDir); // never creates the directory or a database
    if (!store) return none;
    try {
      const open = store.events.open().at(-1);
      return { activeBans: store.decisions.activeCount(now), hardeningHeld: [...store.sysctls.originals().keys()].sort(), attack: open?.kind ?? null };
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
  const tickAt = pid === null ? null : lastTick(stateDir);
  const lastTickSeconds = tickAt === null ? null : Math.max(0, Math.round((now - tickAt) / 100) / 10);
  const stored = await fromStore(stateDir, now);
  // An attack a stopped daemon left open is no attack in progress (the next start closes it).
  return { running: pid !== null, pid, stateDir, uptimeSeconds, lastTickSeconds, backend, ...stored, attack: pid === null ? null : stored.attack };
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
  const attack = d.attack === null ? '' : `, under attack (${d.attack})`;
  return `daemon: ${state}${attack}, backend ${d.backend}, ${bans}, state ${d.stateDir}`;
}
