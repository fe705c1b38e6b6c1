// What metrics.ts (kept from the start) and prom-registry.ts (built at the first scrape) share: names and kinds.
import type { AssessmentKind } from '../detect/assess.js';
import type { SynSender } from '../detect/syn-senders.js';
import type { BanCounter } from './ban-counts.js';

export const KINDS = ['none', 'syn-flood', 'spoofed-syn-flood', 'cookies-coping', 'connection-flood', 'weak-config'] as const satisfies readonly AssessmentKind[];

/** The kernel's SYN-related counters (/proc/net/netstat TcpExt), by metric name. */
export const KERNEL_COUNTERS = {
  synguard_kernel_syncookies_sent_total: ['SyncookiesSent', 'SYN cookies sent (the SYN queue was full)'],
  synguard_kernel_syncookies_recv_total: ['SyncookiesRecv', 'valid SYN cookies received back (handshakes completed)'],
  synguard_kernel_syncookies_failed_total: ['SyncookiesFailed', 'invalid SYN cookies received'],
  synguard_kernel_listen_overflows_total: ['ListenOverflows', 'times an accept queue was full'],
  synguard_kernel_listen_drops_total: ['ListenDrops', 'SYNs dropped at a listener'],
  synguard_kernel_reqq_full_do_cookies_total: ['TCPReqQFullDoCookies', 'SYN queue full, answered with a cookie'],
  synguard_kernel_reqq_full_drop_total: ['TCPReqQFullDrop', 'SYN queue full, SYN dropped (cookies off)'],
} as const;

/** Every metric's name starts with this. */
export const PREFIX = 'synguard_';

/** What the registry reads at scrape time, kept from the daemon's start. */
export interface Kept {
  readonly bans: BanCounter;
  /** The meter's senders at the latest tick (the whole list, so the drop count is exact). */
  readonly senders: () => readonly SynSender[];
}
