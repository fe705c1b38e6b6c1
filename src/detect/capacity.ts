// Capacity-relative detection: once a server is full (a listener's accept queue stays non-empty: every worker is busy
// and the kernel queues completed handshakes), who holds its slots? A /24 (or /64) holding most of the established
// connections while the server is full is an offender even when each of its addresses stays under the per-source
// thresholds (slowloris spread over a prefix). Pure: the caller passes the state, the snapshot's figures and the time.
import type { ListenerStat } from './snapshot.js';
import type { SourceSummary } from './sources.js';

export interface CapacityConfig {
  readonly enabled: boolean;
  /** A listener with at least this many connections waiting for accept() counts as full. */
  readonly minAcceptQueue: number;
  /** ...when it stays so for this long (ms): a burst that the server drains is not "full". */
  readonly fullFor: number;
  /** A prefix (or address) holding at least this share of the established connections while full is an offender. */
  readonly share: number;
  /** Addresses of such a prefix holding at least this many connections are named; the others are left alone. */
  readonly minPerAddress: number;
  /** More named addresses than this: the prefix itself is named instead. */
  readonly maxOffenders: number;
}

export interface CapacityState {
  /** When some listener was first seen full in the current stretch, or null. */
  readonly fullSince: number | null;
}

export const CAPACITY_IDLE: CapacityState = { fullSince: null };

export interface CapacityFinding {
  /** CIDR text: an address as /32 or /128, or the prefix. */
  readonly value: string;
  readonly evidence: string[];
}

export interface CapacityOutput {
  readonly state: CapacityState;
  /** The listeners that are full now (text like `0.0.0.0:80 (12 waiting, backlog 511)`). */
  readonly full: string[];
  readonly offenders: CapacityFinding[];
}

const host = (a: string): string => `${a}/${a.includes(':') ? 128 : 32}`;
const pct = (x: number): string => `${Math.round(100 * x)}%`;

/**
 * One tick of the capacity detector. `established` is every ESTABLISHED connection on the host (the summary's
 * lists count the same sockets), `sources` its summary with topEstablished and topPrefixesEstablished.
 */
export function detectCapacity(
  state: CapacityState, listeners: readonly ListenerStat[], established: number, sources: SourceSummary, cfg: CapacityConfig, now: number,
): CapacityOutput {
  if (!cfg.enabled) return { state: CAPACITY_IDLE, full: [], offenders: [] };
  const full = listeners
    .filter((l) => l.acceptQueue >= cfg.minAcceptQueue)
    .map((l) => `${l.address.includes(':') ? `[${l.address}]` : l.address}:${l.port} (${l.acceptQueue} waiting for accept, backlog ${l.backlog ?? '?'})`);
  if (full.length === 0) return { state: CAPACITY_IDLE, full, offenders: [] };
  const fullSince = state.fullSince ?? now;
  const next = { fullSince };
  if (now - fullSince < cfg.fullFor || established <= 0) return { state: next, full, offenders: [] };

  const offenders: CapacityFinding[] = [];
  const why = `${full.join(', ')} full for ${((now - fullSince) / 1000).toFixed(1)} s`;
  for (const p of sources.topPrefixesEstablished) {
    if (p.established < cfg.share * established) break; // sorted: the rest hold less
    const members = sources.topEstablished.filter((s) => s.prefix === p.prefix && s.established >= cfg.minPerAddress);
    const named = members.reduce((n, s) => n + s.established, 0);
    const evidence = [`${p.prefix}: ${p.established} of ${established} established connections (${pct(p.established / established)}) from ${p.addresses} address(es) while ${why}`];
    // Name the addresses when they are few and account for most of what the prefix holds; else the prefix.
    if (members.length > 0 && members.length <= cfg.maxOffenders && named >= 0.9 * p.established) {
      for (const s of members) offenders.push({ value: host(s.address), evidence: [`${s.address}: ${s.established} established`, ...evidence] });
    } else {
      offenders.push({ value: p.prefix, evidence });
    }
  }
  return { state: next, full, offenders };
}
