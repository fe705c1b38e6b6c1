// One pass over the per-source tally: distinct sources, top talkers, offenders, and the same per prefix.
// The pass allocates only for the few sources that make a list, so it stays fast at 100k+ sources.
import { STATE, TCP_STATES, type AddrKey } from '../observe/tcp-table.js';
import { STATE_SLOTS } from '../observe/socket-tally.js';
import { TopN } from './top.js';
import { keyText, prefixKey, type PrefixLengths, type Snapshot } from './snapshot.js';

export interface SourceStat {
  readonly address: string;
  readonly prefix: string;
  readonly synRecv: number;
  readonly established: number;
  /** ESTABLISHED connections with unread bytes: waiting on the server (accept queue), not holding a worker. */
  readonly establishedUnread: number;
  readonly total: number;
  /** Every state this source holds sockets in. */
  readonly states: Readonly<Record<string, number>>;
}

export interface PrefixStat {
  readonly prefix: string;
  readonly addresses: number;
  /** Addresses of this prefix holding at least one half-open entry. */
  readonly halfOpenAddresses: number;
  readonly synRecv: number;
  readonly established: number;
  readonly establishedUnread: number;
  readonly total: number;
  readonly states: Readonly<Record<string, number>>;
}

export interface SourceSummary {
  readonly distinct: number;
  readonly halfOpenSources: number;
  readonly maxHalfOpen: number;
  readonly maxEstablished: number;
  /** ESTABLISHED connections with unread bytes, all sources together. */
  readonly establishedUnread: number;
  /** Sorted by synRecv, then total. */
  readonly top: SourceStat[];
  readonly topEstablished: SourceStat[];
  readonly topPrefixes: PrefixStat[];
  /** Prefixes sorted by established connections, then total (the capacity detector's view of who holds the slots). */
  readonly topPrefixesEstablished: PrefixStat[];
  /** Sources (and prefixes) at or above the thresholds, largest first, at most halfOpenLimit (or establishedLimit) + 1 of each. */
  readonly halfOpenOffenders: SourceStat[];
  readonly establishedOffenders: SourceStat[];
  readonly halfOpenPrefixOffenders: PrefixStat[];
  readonly establishedPrefixOffenders: PrefixStat[];
}

export interface SourceOptions {
  readonly top: number;
  readonly halfOpenAtLeast: number;
  /** For prefixes; halfOpenAtLeast / establishedAtLeast when absent. */
  readonly prefixHalfOpenAtLeast?: number;
  readonly prefixEstablishedAtLeast?: number;
  readonly establishedAtLeast: number;
  /** Half-open offenders (sources, and prefixes) kept beyond the top: one more than the most that may be named. */
  readonly halfOpenLimit: number;
  /** The same for established offenders. */
  readonly establishedLimit: number;
}

/** A tallied source or prefix: its counts by state are counts[at + code]. */
interface Acc { key: AddrKey; counts: Uint32Array; at: number; synRecv: number; established: number; unread: number; total: number; addresses: number; halfOpenAddresses: number }

const bySyn = (a: Acc, b: Acc) => b.synRecv - a.synRecv || b.total - a.total;
const byEst = (a: Acc, b: Acc) => b.established - a.established || b.total - a.total;

function stateCounts(a: Acc): Record<string, number> {
  const out: Record<string, number> = {};
  for (let code = 0; code < STATE_SLOTS; code++) {
    const v = a.counts[a.at + code] ?? 0;
    if (v > 0) out[TCP_STATES[code] ?? 'UNKNOWN'] = v;
  }
  return out;
}

function prefixLabel(key: AddrKey, lengths: PrefixLengths): string {
  return `${keyText(key)}/${typeof key === 'number' ? lengths.ipv4 : lengths.ipv6}`;
}

/** Adds `item` (a reused probe) to each list that would take it, copying it only then. */
function offer(probe: Acc, lists: ReadonlyArray<TopN<Acc> | null>): void {
  let copy: Acc | undefined;
  for (const list of lists) if (list?.wouldTake(probe)) list.add((copy ??= { ...probe }));
}

export function summarizeSources(snapshot: Snapshot, opts: SourceOptions): SourceSummary {
  const lengths = snapshot.prefixes;
  const top = new TopN<Acc>(opts.top, bySyn);
  const topEst = new TopN<Acc>(opts.top, byEst);
  const synOff = new TopN<Acc>(opts.halfOpenLimit + 1, bySyn);
  const estOff = new TopN<Acc>(opts.establishedLimit + 1, byEst);
  const prefixes = new Map<AddrKey, Acc>();
  const probe: Acc = { key: 0, counts: new Uint32Array(0), at: 0, synRecv: 0, established: 0, unread: 0, total: 0, addresses: 1, halfOpenAddresses: 0 };
  let halfOpenSources = 0, maxHalfOpen = 0, maxEstablished = 0, establishedUnread = 0;

  snapshot.raw.tally.forEachSource((key, counts, at, unread) => {
    establishedUnread += unread;
    const synRecv = counts[at + STATE.SYN_RECV] ?? 0;
    const established = counts[at + STATE.ESTABLISHED] ?? 0;
    let total = 0;
    for (let i = 0; i < STATE_SLOTS; i++) total += counts[at + i] ?? 0;
    if (synRecv > 0) halfOpenSources++;
    if (synRecv > maxHalfOpen) maxHalfOpen = synRecv;
    if (established > maxEstablished) maxEstablished = established;
    probe.key = key; probe.counts = counts; probe.at = at;
    probe.synRecv = synRecv; probe.established = established; probe.unread = unread; probe.total = total;
    offer(probe, [top, topEst, synRecv >= opts.halfOpenAtLeast ? synOff : null, established >= opts.establishedAtLeast ? estOff : null]);
    const pk = prefixKey(key, lengths);
    let p = prefixes.get(pk);
    if (!p) prefixes.set(pk, (p = { key: pk, counts: new Uint32Array(STATE_SLOTS), at: 0, synRecv: 0, established: 0, unread: 0, total: 0, addresses: 0, halfOpenAddresses: 0 }));
    p.synRecv += synRecv; p.established += established; p.unread += unread; p.total += total; p.addresses++;
    if (synRecv > 0) p.halfOpenAddresses++;
    for (let i = 0; i < STATE_SLOTS; i++) p.counts[i] = (p.counts[i] ?? 0) + (counts[at + i] ?? 0);
  });

  const topPrefixes = new TopN<Acc>(opts.top, bySyn);
  const topPrefixesEst = new TopN<Acc>(opts.top, byEst);
  const prefixOff = new TopN<Acc>(opts.halfOpenLimit + 1, bySyn);
  const prefixEstOff = new TopN<Acc>(opts.establishedLimit + 1, byEst);
  for (const p of prefixes.values()) {
    topPrefixes.add(p);
    topPrefixesEst.add(p);
    if (p.synRecv >= (opts.prefixHalfOpenAtLeast ?? opts.halfOpenAtLeast)) prefixOff.add(p);
    if (p.established >= (opts.prefixEstablishedAtLeast ?? opts.establishedAtLeast)) prefixEstOff.add(p);
  }
  const source = (a: Acc): SourceStat => ({
    address: keyText(a.key), prefix: prefixLabel(prefixKey(a.key, lengths), lengths),
    synRecv: a.synRecv, established: a.established, establishedUnread: a.unread, total: a.total, states: stateCounts(a),
  });
  const prefix = (a: Acc): PrefixStat => ({
    prefix: prefixLabel(a.key, lengths), addresses: a.addresses, halfOpenAddresses: a.halfOpenAddresses, synRecv: a.synRecv, established: a.established, establishedUnread: a.unread, total: a.total,
    states: stateCounts(a),
  });
  return {
    distinct: snapshot.raw.tally.sourceCount,
    halfOpenSources, maxHalfOpen, maxEstablished, establishedUnread,
    top: top.list().map(source),
    topEstablished: topEst.list().map(source),
    topPrefixes: topPrefixes.list().map(prefix),
    topPrefixesEstablished: topPrefixesEst.list().map(prefix),
    halfOpenOffenders: synOff.list().map(source),
    establishedOffenders: estOff.list().map(source),
    halfOpenPrefixOffenders: prefixOff.list().map(prefix),
    establishedPrefixOffenders: prefixEstOff.list().map(prefix),
  };
}
