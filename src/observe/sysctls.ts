// The SYN-handling sysctls of the current network namespace, read from /proc/sys.
import { readFileSync } from 'node:fs';

export const SYN_SYSCTLS = [
  'net.ipv4.tcp_syncookies',
  'net.ipv4.tcp_max_syn_backlog',
  'net.ipv4.tcp_synack_retries',
  'net.ipv4.tcp_syn_retries',
  'net.ipv4.tcp_abort_on_overflow',
  'net.core.somaxconn',
  'net.ipv4.conf.all.rp_filter',
] as const;
export type SysctlName = (typeof SYN_SYSCTLS)[number];

export function sysctlPath(name: string): string {
  return `/proc/sys/${name.replaceAll('.', '/')}`;
}

/** Parses one /proc/sys value: a single integer, or null. */
export function parseSysctlValue(text: string): number | null {
  const t = text.trim();
  return /^-?\d+$/.test(t) ? Number(t) : null;
}

/** Reads the SYN sysctls; one that is absent or unreadable is null rather than an error. */
export function readSysctls(read: (path: string) => string = (p) => readFileSync(p, 'utf8')): Record<SysctlName, number | null> {
  const out = {} as Record<SysctlName, number | null>;
  for (const name of SYN_SYSCTLS) {
    try {
      out[name] = parseSysctlValue(read(sysctlPath(name)));
    } catch {
      out[name] = null;
    }
  }
  return out;
}
