// Capacity-relative detection: once a server is full (a listener's accept queue stays non-empty: every worker is busy
// and the kernel queues completed handshakes), who holds its slots? A connection holds a slot when it is ESTABLISHED
// and the server has read everything it sent (rx_queue 0: a worker took it); one with unread bytes is waiting in the
// queue like any client, so it counts for nobody. A /24 (or /64) holding most of the held connections while the
// server is full is an offender even when each of its addresses stays under the per-source thresholds (slowloris
// spread over a prefix). Pure: the caller passes the state, the snapshot's figures and the time.
import type { ListenerStat } from './snapshot.js';
import type { SourceSummary } from './sources.js';

export interface CapacityConfig {
  readonly enabled: boolean;
  /** A listener with at least this many connections waiting for accept() counts as full. */
  readonly minAcceptQueue: number;
  /** ...when it stays so for this long (ms): a burst that the server drains is not "full". */
  readonly fullFor: number;
  /** A prefix (or address) holding at least this share of the slots while full is an offender... */
  readonly share: number;
  /** ...and at least this many slots: a server at one or two workers is not full of anyone. */
  readonly minHeld: number;
  /**
   * ...and has at least this many connections open (held, or waiting in the queue): a client with a few connections
   * that happens to hold a small server's few slots is no flood, while slowloris is visible by its queued connections
   * from the first second, before a server that adds workers gradually (Apache prefork) has many slots to hold.
   */
  readonly minConnections: number;
  /** Addresses of such a prefix with at least this many connections open (held or queued) are named; the others are left alone. */
  readonly minPerAddress: number;
  /** More named addresses than this: the prefix itself is named instead. */
  readonly maxOffenders: number;
}

export interface CapacityState {
  /** When some listener was first seen full in the current stretch, or null. */
  readonly fullSince: number | null;
  /**
   * When one was last seen full. A stretch survives a look that finds the queue drained, if the next full look comes
   * within fullFor: a server spawning workers (Apache prefork adds up to 32 a second) drains its queue in bursts.
   */
  readonly lastFull?: number;
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
  /** Some prefix would be named but the server has not been full for fullFor yet: worth looking again soon. */
  readonly pending: boolean;
}

const host = (a: string): string => `${a}/${a.includes(':') ? 128 : 32}`;
const pct = (x: number): string => `${Math.round(100 * x)}%`;

/**
 * One tick of the capacity detector. `established` is every ESTABLISHED connection on the host (the summary's
 * lists count the same sockets), `sources` its summary with topEstablished and topPrefixesEstablished. The share is
 * of the held connections; the minConnections floor keeps a client with a few connections (holding a server still
 * spawning workers, or one whose holders were just cut off while many still wait) from being anyone's flood.
 */
export function detectCapacity(
  state: CapacityState, listeners: readonly ListenerStat[], established: number, sources: SourceSummary, cfg: CapacityConfig, now: number,
): CapacityOutput {
  if (!cfg.enabled) return { state: CAPACITY_IDLE, full: [], offenders: [], pending: false };
  const full = listeners
    .filter((l) => l.acceptQueue >= cfg.minAcceptQueue)
    .map((l) => `${l.address.includes(':') ? `[${l.address}]` : l.address}:${l.port} (${l.acceptQueue} waiting for accept, backlog ${l.backlog ?? '?'})`);
  if (full.length === 0) {
    const keep = state.fullSince !== null && state.lastFull !== undefined && now - state.lastFull <= cfg.fullFor;
    return { state: keep ? state : CAPACITY_IDLE, full, offenders: [], pending: false };
  }
  const fullSince = state.fullSince ?? now;
  const next = { fullSince, lastFull: now };
  const slots = established - sources.establishedUnread;
  const held = (x: { established: number; establishedUnread: number }): number => x.established - x.establishedUnread;
  const suspects = slots <= 0 ? [] : sources.topPrefixesEstablished.filter((p) =>
    held(p) >= cfg.share * slots && held(p) >= cfg.minHeld && p.established >= cfg.minConnections);
  if (now - fullSince < cfg.fullFor) return { state: next, full, offenders: [], pending: suspects.length > 0 };

  const offenders: CapacityFinding[] = [];
  const why = `${full.join(', ')} full for ${((now - fullSince) / 1000).toFixed(1)} s`;
  for (const p of suspects) {
    // Members by the connections they have open, held or queued: early in a flood each address holds only a slot or
    // two of a server that is still adding workers, while its queued connections already show what it is doing.
    const members = sources.topEstablished.filter((s) => s.prefix === p.prefix && s.established >= cfg.minPerAddress);
    const named = members.reduce((n, s) => n + s.established, 0);
    const evidence = [`${p.prefix}: holds ${held(p)} of ${slots} slots (${pct(held(p) / slots)}; ${p.establishedUnread} more connections waiting) from ${p.addresses} address(es) while ${why}`];
    // Name the addresses when they are few and account for most of the prefix's connections; the prefix when it has
    // more addresses than may be named; otherwise nothing (a few addresses each with little open is no flood).
    if (members.length > 0 && members.length <= cfg.maxOffenders && named >= 0.9 * p.established) {
      for (const s of members) offenders.push({ value: host(s.address), evidence: [`${s.address}: holds ${held(s)} (${s.establishedUnread} waiting)`, ...evidence] });
    } else if (p.addresses > cfg.maxOffenders) {
      // too many addresses to name one by one (each may hold little): the prefix itself
      offenders.push({ value: p.prefix, evidence });
    }
  }
  return { state: next, full, offenders, pending: false };
}
