// SYN-flood hardening: a pure plan of sysctl changes, and thin readers/writers that act on one network namespace.
import { exec as realExec, type Exec } from '../core/exec.js';
import { SynguardError } from '../core/errors.js';

export const SYSCTLS = {
  syncookies: 'net.ipv4.tcp_syncookies',
  maxSynBacklog: 'net.ipv4.tcp_max_syn_backlog',
  somaxconn: 'net.core.somaxconn',
  synackRetries: 'net.ipv4.tcp_synack_retries',
} as const;
export type HardenedSysctl = (typeof SYSCTLS)[keyof typeof SYSCTLS];

export interface HardeningTargets {
  /** 1 (cookies when a queue overflows) or 2 (always); 0 is never accepted. */
  readonly syncookies: 1 | 2;
  readonly maxSynBacklog: number;
  readonly somaxconn: number;
  readonly synackRetries: number;
}

export const DEFAULT_TARGETS: HardeningTargets = { syncookies: 1, maxSynBacklog: 8192, somaxconn: 8192, synackRetries: 2 };

export interface SysctlChange {
  readonly name: HardenedSysctl;
  readonly from: number;
  readonly to: number;
}

/**
 * What to change: cookies on (a current 2 is kept: it is stronger), backlogs only raised, SYN-ACK retries only
 * lowered. A value that could not be read (null) is left alone, since its original could not be restored.
 */
export function planHardening(current: Readonly<Partial<Record<HardenedSysctl, number | null>>>, targets: HardeningTargets = DEFAULT_TARGETS): SysctlChange[] {
  if ((targets.syncookies as number) !== 1 && (targets.syncookies as number) !== 2) {
    throw new SynguardError('input', `tcp_syncookies target must be 1 or 2, got ${String(targets.syncookies)}`);
  }
  const out: SysctlChange[] = [];
  const consider = (name: HardenedSysctl, to: number, better: (from: number) => boolean): void => {
    const from = current[name];
    if (typeof from === 'number' && better(from)) out.push({ name, from, to });
  };
  consider(SYSCTLS.syncookies, targets.syncookies, (from) => from === 0 || (from === 1 && targets.syncookies === 2));
  consider(SYSCTLS.maxSynBacklog, targets.maxSynBacklog, (from) => from < targets.maxSynBacklog);
  consider(SYSCTLS.somaxconn, targets.somaxconn, (from) => from < targets.somaxconn);
  consider(SYSCTLS.synackRetries, targets.synackRetries, (from) => from > targets.synackRetries);
  return out;
}

export interface SysctlOptions {
  readonly exec?: Exec;
  readonly netns?: string;
  /** Writing recorded originals back: an admin's own tcp_syncookies=0 may then be restored. */
  readonly restoring?: boolean;
}

/** Writes the changes' `to` values in one `sysctl -w` call; to restore, pass the changes with from/to swapped and `restoring`. */
export async function writeSysctls(changes: readonly SysctlChange[], opts: SysctlOptions = {}): Promise<void> {
  if (changes.length === 0) return;
  const run = opts.exec ?? realExec;
  const args = changes.map((c) => {
    if (!Number.isInteger(c.to)) throw new SynguardError('input', `sysctl ${c.name} must be an integer, got ${String(c.to)}`);
    if (c.name === SYSCTLS.syncookies && c.to === 0 && opts.restoring !== true) throw new SynguardError('input', 'synguard never sets tcp_syncookies to 0');
    return `${c.name}=${c.to}`;
  });
  const r = await run('sysctl', ['-q', '-w', ...args], opts.netns ? { netns: opts.netns } : {});
  if (r.spawnError) throw new SynguardError('missing-tool', 'sysctl is not installed (Debian package: procps)');
  if (r.failed) throw new SynguardError(/denied|not permitted/i.test(r.stderr) ? 'permission' : 'exec', `sysctl -w failed: ${r.stderr.trim().slice(0, 300)}`);
}
