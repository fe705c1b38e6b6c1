// Capacity-relative detection: once a server is full (a listener's accept queue stays non-empty: every worker is busy
// and the kernel queues completed handshakes; or, for a server that sheds instead of queuing, its declared slots are
// all held), who holds its slots? A connection holds a slot when it is ESTABLISHED
// and the server has read everything it sent (rx_queue 0: a worker took it); one with unread bytes is waiting in the
// queue like any client, so it counts for nobody. A /24 (or /64) that keeps holding most of the held connections of a
// full server for `fullFor` is an offender even when each of its addresses stays under the per-source thresholds
// (slowloris spread over a prefix). Pure: the caller passes the state, the snapshot's figures and the time.
import type { ListenerStat } from './snapshot.js';
import type { SourceSummary } from './sources.js';

export interface CapacityConfig {
  readonly enabled: boolean;
  /** A listener with at least this many connections waiting for accept() counts as full. */
  readonly minAcceptQueue: number;
  /** A prefix must hold the slots of a full server this long (ms): a burst that the server drains is no flood. */
  readonly fullFor: number;
  /** A prefix (or address) holding at least this share of the slots while full is a suspect... */
  readonly share: number;
  /** ...and at least this many slots: a server at one or two workers is not full of anyone... */
  readonly minHeld: number;
  /**
   * ...and has at least this many connections open (held, or waiting in the queue): a client with a few connections
   * that happens to hold a small server's few slots is no flood, while slowloris is visible by its queued connections
   * from the first second, before a server that adds workers gradually (Apache prefork) has many slots to hold.
   */
  readonly minConnections: number;
  /** Addresses of such a prefix holding at least this many slots are named; the others are left alone. */
  readonly minPerAddress: number;
  /** More named addresses than this: the prefix itself is named instead. */
  readonly maxOffenders: number;
  /**
   * Port → the connections its server serves at once, for a server that closes what it cannot serve instead of
   * queuing it: its listener counts as full while that many connections on the port are held (ListenerStat.held).
   */
  readonly slots: Readonly<Record<string, number>>;
}

export interface CapacityState {
  /** When some listener was first seen full in the current stretch, or null. */
  readonly fullSince: number | null;
  /**
   * When one was last seen full. A stretch survives a look that finds the queue drained, if the next full look comes
   * within fullFor: a server spawning workers (Apache prefork adds up to 32 a second) drains its queue in bursts.
   */
  readonly lastFull?: number;
  /** Since when each suspect prefix has held the slots, at every look (a look that finds the queue drained resets it). */
  readonly holding?: Readonly<Record<string, number>>;
}

export const CAPACITY_IDLE: CapacityState = { fullSince: null };

/** The ports with declared slots, whose held connections a walk of the table must count (SocketTally.heldByPort). */
export const slotPorts = (cfg: Pick<CapacityConfig, 'slots'>): number[] => Object.keys(cfg.slots).map(Number);

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
  /**
   * A prefix holds the slots but is not named yet (not for fullFor, or its addresses each hold too few slots to tell
   * them from a legitimate neighbour): the daemon looks again sooner.
   */
  readonly pending: boolean;
}

const host = (a: string): string => `${a}/${a.includes(':') ? 128 : 32}`;
const pct = (x: number): string => `${Math.round(100 * x)}%`;
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/**
 * One look of the capacity detector. `established` is every ESTABLISHED connection on the host (the summary's lists
 * count the same sockets), `sources` its summary with topEstablished and topPrefixesEstablished. The share is of the
 * held connections; the minConnections floor keeps a client with a few connections (holding a server still spawning
 * workers, or one whose holders were just cut off while many still wait) from being anyone's flood.
 */
export function detectCapacity(
  state: CapacityState, listeners: readonly ListenerStat[], established: number, sources: SourceSummary, cfg: CapacityConfig, now: number,
): CapacityOutput {
  if (!cfg.enabled) return { state: CAPACITY_IDLE, full: [], offenders: [], pending: false };
  const endpoint = (l: ListenerStat): string => `${l.address.includes(':') ? `[${l.address}]` : l.address}:${l.port}`;
  const full = listeners.flatMap((l) => {
    if (l.acceptQueue >= cfg.minAcceptQueue) return [`${endpoint(l)} (${l.acceptQueue} waiting for accept, backlog ${l.backlog ?? '?'})`];
    const slots = cfg.slots[String(l.port)];
    return slots !== undefined && (l.held ?? 0) >= slots ? [`${endpoint(l)} (${l.held ?? 0} of its ${slots} declared slots held)`] : [];
  });
  if (full.length === 0) {
    // The stretch survives (see lastFull), but no prefix's hold does: a server whose queue drains between looks is
    // not full of anyone (nginx's queue is non-empty for an instant now and then under load, and its "slots" are
    // every connection it has read).
    const keep = state.fullSince !== null && state.lastFull !== undefined && now - state.lastFull <= cfg.fullFor;
    return { state: keep ? { fullSince: state.fullSince, lastFull: state.lastFull, holding: {} } : CAPACITY_IDLE, full, offenders: [], pending: false };
  }
  const fullSince = state.fullSince ?? now;
  const slots = established - sources.establishedUnread;
  const held = (x: { established: number; establishedUnread: number }): number => x.established - x.establishedUnread;
  const suspects = slots <= 0 ? [] : sources.topPrefixesEstablished.filter((p) =>
    held(p) >= cfg.share * slots && held(p) >= cfg.minHeld && p.established >= cfg.minConnections);
  const holding: Record<string, number> = {};
  for (const p of suspects) holding[p.prefix] = state.holding?.[p.prefix] ?? now;
  const next: CapacityState = { fullSince, lastFull: now, holding };

  const offenders: CapacityFinding[] = [];
  let pending = false;
  for (const p of suspects) {
    const since = holding[p.prefix] ?? now;
    if (now - since < cfg.fullFor) {
      pending = true;
      continue;
    }
    // Members by the slots they hold, never by what they have queued: a legitimate client in the same /24 has its
    // connections queued like everyone's while the server is full (the lab's probe had 5+ waiting at 198.18.2.200).
    const members = sources.topEstablished.filter((s) => s.prefix === p.prefix && held(s) >= cfg.minPerAddress);
    const named = members.reduce((n, s) => n + held(s), 0);
    // An address holding a slot but fewer than minPerAddress may be a holder that the server has not given a second
    // worker yet (Apache adds them each second): wait for it, up to fullFor more, rather than name 7 of 8. A
    // legitimate neighbour being served holds one for an instant; waiting names nobody.
    const lagging = sources.topEstablished.some((s) => s.prefix === p.prefix && held(s) > 0 && held(s) < cfg.minPerAddress);
    if (lagging && now - since < 2 * cfg.fullFor) {
      pending = true;
      continue;
    }
    const evidence = [`${p.prefix}: holds ${held(p)} of ${slots} slots (${pct(held(p) / slots)}; ${p.establishedUnread} more connections waiting) from ${p.addresses} address(es), for ${secs(now - since)}, while ${full.join(', ')} full for ${secs(now - fullSince)}`];
    // Name the addresses when they are few and hold most of what the prefix holds; the prefix when it has more
    // addresses than may be named; otherwise nothing yet (early on, a server adding workers gives each address one
    // slot or two: the next look, sooner, sees more).
    if (members.length > 0 && members.length <= cfg.maxOffenders && named >= 0.9 * held(p)) {
      for (const s of members) offenders.push({ value: host(s.address), evidence: [`${s.address}: holds ${held(s)} (${s.establishedUnread} waiting)`, ...evidence] });
    } else if (p.addresses > cfg.maxOffenders) {
      // too many addresses to name one by one (each may hold little): the prefix itself
      offenders.push({ value: p.prefix, evidence });
    } else pending = true;
  }
  return { state: next, full, offenders, pending };
}
