// One pass over the per-source tally: distinct sources, top talkers, offenders, and the same per prefix.
import { STATE, TCP_STATES, type AddrKey } from '../observe/tcp-table.js';
import { STATE_SLOTS } from '../observe/socket-tally.js';
import { TopN } from './top.js';
import { keyText, prefixKey, type PrefixLengths, type Snapshot } from './snapshot.js';

export interface SourceStat {
  readonly address: string;
  readonly prefix: string;
  readonly synRecv: number;
  readonly established: number;
  readonly total: number;
  /** Every state this source holds sockets in. */
  readonly states: Readonly<Record<string, number>>;
}

export interface PrefixStat {
  readonly prefix: string;
  readonly addresses: number;
  readonly synRecv: number;
  readonly established: number;
  readonly total: number;
  readonly states: Readonly<Record<string, number>>;
}

export interface SourceSummary {
  readonly distinct: number;
  readonly halfOpenSources: number;
  readonly maxHalfOpen: number;
  readonly maxEstablished: number;
  /** Sorted by synRecv, then total. */
  readonly top: SourceStat[];
  readonly topEstablished: SourceStat[];
  readonly topPrefixes: PrefixStat[];
  /** Sources (and prefixes) at or above the thresholds, largest first, at most offenderLimit + 1 of each. */
  readonly halfOpenOffenders: SourceStat[];
  readonly establishedOffenders: SourceStat[];
  readonly halfOpenPrefixOffenders: PrefixStat[];
}

export interface SourceOptions {
  readonly top: number;
  readonly halfOpenAtLeast: number;
  readonly establishedAtLeast: number;
  readonly offenderLimit: number;
}

interface Acc { key: AddrKey; counts: Uint32Array; synRecv: number; established: number; total: number; addresses: number }

function stateCounts(counts: Uint32Array): Record<string, number> {
  const out: Record<string, number> = {};
  counts.forEach((n, code) => { if (n > 0) out[TCP_STATES[code] ?? 'UNKNOWN'] = n; });
  return out;
}

const bySyn = (a: Acc, b: Acc) => b.synRecv - a.synRecv || b.total - a.total;
const byEst = (a: Acc, b: Acc) => b.established - a.established || b.total - a.total;

function prefixLabel(key: AddrKey, lengths: PrefixLengths): string {
  return `${keyText(key)}/${typeof key === 'number' ? lengths.ipv4 : lengths.ipv6}`;
}

export function summarizeSources(snapshot: Snapshot, opts: SourceOptions): SourceSummary {
  const lengths = snapshot.prefixes;
  const limit = opts.offenderLimit + 1;
  const top = new TopN<Acc>(opts.top, bySyn);
  const topEst = new TopN<Acc>(opts.top, byEst);
  const synOff = new TopN<Acc>(limit, bySyn);
  const estOff = new TopN<Acc>(limit, byEst);
  const prefixes = new Map<AddrKey, Acc>();
  let halfOpenSources = 0, maxHalfOpen = 0, maxEstablished = 0;

  for (const [key, counts] of snapshot.raw.tally.sources) {
    const synRecv = counts[STATE.SYN_RECV] ?? 0;
    const established = counts[STATE.ESTABLISHED] ?? 0;
    let total = 0;
    for (const c of counts) total += c;
    const acc: Acc = { key, counts, synRecv, established, total, addresses: 1 };
    if (synRecv > 0) halfOpenSources++;
    if (synRecv > maxHalfOpen) maxHalfOpen = synRecv;
    if (established > maxEstablished) maxEstablished = established;
    top.add(acc);
    topEst.add(acc);
    if (synRecv >= opts.halfOpenAtLeast) synOff.add(acc);
    if (established >= opts.establishedAtLeast) estOff.add(acc);
    const pk = prefixKey(key, lengths);
    const p = prefixes.get(pk);
    if (p) {
      p.synRecv += synRecv; p.established += established; p.total += total; p.addresses++;
      for (let i = 0; i < STATE_SLOTS; i++) p.counts[i] = (p.counts[i] ?? 0) + (counts[i] ?? 0);
    } else prefixes.set(pk, { key: pk, counts: counts.slice(), synRecv, established, total, addresses: 1 });
  }

  const topPrefixes = new TopN<Acc>(opts.top, bySyn);
  const prefixOff = new TopN<Acc>(limit, bySyn);
  for (const p of prefixes.values()) {
    topPrefixes.add(p);
    if (p.synRecv >= opts.halfOpenAtLeast) prefixOff.add(p);
  }
  const source = (a: Acc): SourceStat => ({
    address: keyText(a.key), prefix: prefixLabel(prefixKey(a.key, lengths), lengths),
    synRecv: a.synRecv, established: a.established, total: a.total, states: stateCounts(a.counts),
  });
  const prefix = (a: Acc): PrefixStat => ({
    prefix: prefixLabel(a.key, lengths), addresses: a.addresses, synRecv: a.synRecv, established: a.established, total: a.total,
    states: stateCounts(a.counts),
  });
  return {
    distinct: snapshot.raw.tally.sources.size,
    halfOpenSources, maxHalfOpen, maxEstablished,
    top: top.list().map(source),
    topEstablished: topEst.list().map(source),
    topPrefixes: topPrefixes.list().map(prefix),
    halfOpenOffenders: synOff.list().map(source),
    establishedOffenders: estOff.list().map(source),
    halfOpenPrefixOffenders: prefixOff.list().map(prefix),
  };
}
