// A snapshot: everything read in one sample, aggregated by state, source, prefix and listener. Pure.
import { formatV4, formatV6 } from '../core/address.js';
import { STATE, TCP_STATES, type AddrKey, type TcpStateName } from '../observe/tcp-table.js';
import type { RawSample } from '../observe/raw-sample.js';

export type { RawSample } from '../observe/raw-sample.js';

export interface PrefixLengths {
  readonly ipv4: number;
  readonly ipv6: number;
}


export interface ListenerStat {
  readonly address: string;
  readonly port: number;
  readonly dualStack: boolean;
  /** null when ss was unavailable. */
  readonly backlog: number | null;
  readonly acceptQueue: number;
  /** SYN_RECV entries addressed to this listener: its SYN-queue occupancy. */
  readonly synRecv: number;
  /** Connections on its port that a worker holds, when the port has declared slots (config detection.capacity.slots). */
  readonly held?: number;
}

export interface Snapshot {
  readonly takenAt: number;
  readonly raw: RawSample;
  readonly states: Readonly<Partial<Record<TcpStateName, number>>>;
  readonly sockets: number;
  readonly halfOpen: number;
  readonly established: number;
  readonly listeners: readonly ListenerStat[];
  readonly listenerError: string | null;
  readonly prefixes: PrefixLengths;
  readonly parseErrors: { readonly socketTable: number; readonly counters: number; readonly listeners: number };
}

export function keyText(key: AddrKey): string {
  return typeof key === 'number' ? formatV4(key) : formatV6(key);
}

/** The compact key of the prefix a compact address belongs to. */
export function prefixKey(key: AddrKey, lengths: PrefixLengths): AddrKey {
  if (typeof key === 'number') {
    return lengths.ipv4 === 0 ? 0 : key & (~0 << (32 - lengths.ipv4));
  }
  const nibbles = lengths.ipv6 >> 2;
  let out = key.slice(0, nibbles);
  const rest = lengths.ipv6 & 3;
  if (rest) out += (parseInt(key[nibbles] ?? '0', 16) & (0xf0 >> rest) & 0xf).toString(16);
  return out.padEnd(32, '0');
}

/** Gives each listener the SYN_RECV entries whose local endpoint it owns (exact address, else the wildcard). */
function listenerStats(raw: RawSample): ListenerStat[] {
  // The accept queue comes from this tick's socket table (a LISTEN row's rx_queue): the daemon reads ss's backlogs
  // only every few seconds, and a full server's queue must be seen now (src/detect/capacity.ts).
  const fresh = new Map<string, number>();
  for (const l of raw.tally.listening) fresh.set(`${keyText(l.local)} ${l.port}`, l.acceptQueue);
  const base = raw.listeners.ok
    ? raw.listeners.listeners.map((l) => ({ ...l, acceptQueue: fresh.get(`${l.address} ${l.port}`) ?? l.acceptQueue, synRecv: 0 }))
    : raw.tally.listening.map((l) => ({ address: keyText(l.local), port: l.port, dualStack: false, backlog: null, acceptQueue: l.acceptQueue, synRecv: 0 }));
  for (const [port, byAddr] of raw.tally.synRecvByPort) {
    const onPort = base.filter((l) => l.port === port);
    for (const [local, count] of byAddr) {
      const v4 = typeof local === 'number';
      const text = keyText(local);
      const owner =
        onPort.find((l) => l.address === text) ??
        onPort.find((l) => l.address === (v4 ? '0.0.0.0' : '::')) ??
        (v4 ? onPort.find((l) => l.address === '::' && l.dualStack) : undefined);
      if (owner) owner.synRecv += count;
    }
  }
  const held = raw.tally.heldByPort;
  const withHeld = held.size === 0 ? base : base.map((l) => (held.has(l.port) ? { ...l, held: held.get(l.port) } : l));
  return withHeld.sort((a, b) => b.synRecv - a.synRecv || a.port - b.port);
}

export function buildSnapshot(raw: RawSample, prefixes: PrefixLengths): Snapshot {
  const states: Partial<Record<TcpStateName, number>> = {};
  let sockets = 0;
  raw.tally.states.forEach((count, code) => {
    sockets += count;
    if (count > 0 || (code >= 1 && code <= 11)) states[TCP_STATES[code] ?? 'UNKNOWN'] = count;
  });
  return {
    takenAt: raw.takenAt,
    raw,
    states,
    sockets,
    halfOpen: raw.tally.states[STATE.SYN_RECV] ?? 0,
    established: raw.tally.states[STATE.ESTABLISHED] ?? 0,
    listeners: listenerStats(raw),
    listenerError: raw.listeners.ok ? null : raw.listeners.error,
    prefixes,
    parseErrors: { socketTable: raw.tableBadLines, counters: raw.counterBadLines, listeners: raw.listeners.ok ? raw.listeners.badLines : 0 },
  };
}
