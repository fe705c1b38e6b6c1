// The attack recorder: fed each tick while an attack lasts, it keeps peaks, the cookie balance, the heaviest
// sources and the kernel meter's top SYN senders, bounded in memory. Pure (time comes in with the ticks) and a plain JSON object, so it can be checkpointed.
import type { AssessmentKind } from '../detect/assess.js';
import { counterRates, linkRates, rateOf } from '../detect/rates.js';
import type { Snapshot } from '../detect/snapshot.js';
import { summarizeSources, type SourceSummary } from '../detect/sources.js';
import type { SynSender } from '../detect/syn-senders.js';

export interface Peak {
  readonly value: number;
  readonly at: number;
}

export const PEAKS = [
  'halfOpen', 'established', 'cookiesSentPerSecond', 'cookiesRecvPerSecond', 'synDropsPerSecond',
  'listenDropsPerSecond', 'newConnectionsPerSecond', 'rxPacketsPerSecond',
] as const;
export type PeakName = (typeof PEAKS)[number];

export interface SourceTrack { maxHalfOpen: number; maxEstablished: number; seen: number; prefix: string }
export interface PrefixTrack { maxHalfOpen: number; maxEstablished: number; maxAddresses: number; seen: number }
/** A sender the kernel meter named: its peak rate and when; proven and dropped if it was at any sample. */
export interface SynSenderTrack { maxSynPerSecond: number; at: number; proven: boolean; dropped: boolean; seen: number }

export interface RecorderState {
  readonly eventId: number;
  readonly kind: AssessmentKind;
  readonly summary: string;
  readonly evidence: readonly string[];
  readonly startedAt: number;
  ticks: number;
  lastTickAt: number | null;
  /** The last tick whose verdict was an attack (the end comes after the calm-down). */
  lastAttackAt: number | null;
  classes: Record<string, number>;
  peaks: Partial<Record<PeakName, Peak>>;
  listenerPeak: { listener: string; synRecv: number; backlog: number; at: number } | null;
  /** Kernel counters at the first and the latest sample of the attack. */
  countersFirst: Record<string, number> | null;
  countersLast: Record<string, number> | null;
  maxDistinctSources: number;
  sources: Record<string, SourceTrack>;
  prefixes: Record<string, PrefixTrack>;
  /** The kernel meter's senders by address (or prefix CIDR); absent in a checkpoint written before the meter existed. */
  synSenders?: Record<string, SynSenderTrack>;
  lastSourcesAt: number | null;
  hardening: Array<{ at: number; mode: 'attack' | 'calm'; changes: string[] }>;
}

export interface RecorderOptions {
  /** Sources (and prefixes, and the meter's SYN senders) taken from each sampled tick. */
  readonly top: number;
  /** Sources, prefixes and SYN senders are pruned to this many once twice as many are held; the weakest go first. */
  readonly keep: number;
  /** Sources are summarised at most this often (one pass over the socket table); the first tick always. */
  readonly sourceEveryMs: number;
}

export const RECORDER_DEFAULTS: RecorderOptions = { top: 20, keep: 500, sourceEveryMs: 5000 };
const ATTACK_KINDS: ReadonlySet<string> = new Set(['syn-flood', 'spoofed-syn-flood', 'cookies-coping', 'connection-flood']);

export function startRecord(a: { eventId: number; kind: AssessmentKind; summary: string; evidence: readonly string[]; at: number }): RecorderState {
  return {
    eventId: a.eventId, kind: a.kind, summary: a.summary, evidence: [...a.evidence], startedAt: a.at,
    ticks: 0, lastTickAt: null, lastAttackAt: null, classes: {}, peaks: {}, listenerPeak: null,
    countersFirst: null, countersLast: null, maxDistinctSources: 0, sources: {}, prefixes: {}, synSenders: {}, lastSourcesAt: null, hardening: [],
  };
}

function peak(s: RecorderState, name: PeakName, value: number | null, at: number): void {
  if (value === null || !Number.isFinite(value)) return;
  const cur = s.peaks[name];
  if (!cur || value > cur.value) s.peaks[name] = { value: Math.round(value * 100) / 100, at };
}

/** Keeps the `keep` entries with the largest score once the table holds twice that many (amortised pruning). */
function prune<T>(table: Record<string, T>, keep: number, score: (t: T) => number): Record<string, T> {
  const keys = Object.keys(table);
  if (keys.length <= keep * 2) return table;
  const kept = keys.sort((a, b) => score(table[b] as T) - score(table[a] as T)).slice(0, keep);
  return Object.fromEntries(kept.map((k) => [k, table[k] as T]));
}

const weight = (t: { maxHalfOpen: number; maxEstablished: number }): number => t.maxHalfOpen + t.maxEstablished;

function recordSources(s: RecorderState, sum: SourceSummary, o: RecorderOptions, at: number): void {
  s.lastSourcesAt = at;
  s.maxDistinctSources = Math.max(s.maxDistinctSources, sum.distinct);
  const seen = new Set<string>();
  for (const x of [...sum.top, ...sum.topEstablished]) {
    if (seen.has(x.address)) continue;
    seen.add(x.address);
    const t = (s.sources[x.address] ??= { maxHalfOpen: 0, maxEstablished: 0, seen: 0, prefix: x.prefix });
    t.maxHalfOpen = Math.max(t.maxHalfOpen, x.synRecv);
    t.maxEstablished = Math.max(t.maxEstablished, x.established);
    t.seen++;
  }
  for (const p of sum.topPrefixes) {
    const t = (s.prefixes[p.prefix] ??= { maxHalfOpen: 0, maxEstablished: 0, maxAddresses: 0, seen: 0 });
    t.maxHalfOpen = Math.max(t.maxHalfOpen, p.synRecv);
    t.maxEstablished = Math.max(t.maxEstablished, p.established);
    t.maxAddresses = Math.max(t.maxAddresses, p.addresses);
    t.seen++;
  }
  s.sources = prune(s.sources, o.keep, weight);
  s.prefixes = prune(s.prefixes, o.keep, weight);
}

/** The meter's fastest senders this tick (it sorts them by rate): peak rate, proven, dropped, how often seen. */
function recordSynSenders(s: RecorderState, senders: readonly SynSender[], o: RecorderOptions, at: number): void {
  const table = (s.synSenders ??= {});
  for (const x of senders.slice(0, o.top)) {
    const t = (table[x.address] ??= { maxSynPerSecond: x.synPerSecond, at, proven: false, dropped: false, seen: 0 });
    if (x.synPerSecond > t.maxSynPerSecond) {
      t.maxSynPerSecond = x.synPerSecond;
      t.at = at;
    }
    t.proven ||= x.proven;
    t.dropped ||= x.dropped;
    t.seen++;
  }
  s.synSenders = prune(table, o.keep, (t) => t.maxSynPerSecond);
}

/**
 * One tick of the attack: its two snapshots and verdict. `sources`, when the caller already summarised the
 * snapshot (the defender does, each tick), saves the recorder its own pass over the socket table. `synSenders`: the
 * kernel meter's senders this tick, highest rate first (none without a meter).
 */
export function recordTick(
  s: RecorderState,
  e: { at: number; prev: Snapshot | undefined; cur: Snapshot; kind: AssessmentKind; sources?: SourceSummary; synSenders?: readonly SynSender[] },
  o: RecorderOptions = RECORDER_DEFAULTS,
): void {
  const { at, prev, cur } = e;
  s.ticks++;
  s.lastTickAt = at;
  s.classes[e.kind] = (s.classes[e.kind] ?? 0) + 1;
  if (ATTACK_KINDS.has(e.kind)) s.lastAttackAt = at;
  s.countersFirst ??= { ...(prev ?? cur).raw.counters };
  s.countersLast = { ...cur.raw.counters };
  peak(s, 'halfOpen', cur.halfOpen, at);
  peak(s, 'established', cur.established, at);
  const rates = counterRates(prev, cur);
  peak(s, 'cookiesSentPerSecond', rateOf(rates, 'SyncookiesSent'), at);
  peak(s, 'cookiesRecvPerSecond', rateOf(rates, 'SyncookiesRecv'), at);
  peak(s, 'synDropsPerSecond', rateOf(rates, 'TCPReqQFullDrop'), at);
  peak(s, 'listenDropsPerSecond', rateOf(rates, 'ListenDrops'), at);
  peak(s, 'newConnectionsPerSecond', rateOf(rates, 'PassiveOpens'), at);
  let rx: number | null = null;
  for (const [name, r] of Object.entries(linkRates(prev, cur))) {
    if (name !== 'lo' && r.rxPacketsPerSecond !== null) rx = (rx ?? 0) + r.rxPacketsPerSecond;
  }
  peak(s, 'rxPacketsPerSecond', rx, at);
  for (const l of cur.listeners) {
    if (l.backlog === null || l.backlog <= 0) continue;
    const best = s.listenerPeak;
    if (!best || l.synRecv / l.backlog > best.synRecv / best.backlog) {
      s.listenerPeak = { listener: `${l.address.includes(':') ? `[${l.address}]` : l.address}:${l.port}`, synRecv: l.synRecv, backlog: l.backlog, at };
    }
  }
  if (e.synSenders && e.synSenders.length > 0) recordSynSenders(s, e.synSenders, o, at);
  if (e.sources) recordSources(s, e.sources, o, at);
  else if (s.lastSourcesAt === null || at - s.lastSourcesAt >= o.sourceEveryMs) {
    recordSources(s, summarizeSources(cur, { top: o.top, halfOpenAtLeast: Infinity, establishedAtLeast: Infinity, halfOpenLimit: 0, establishedLimit: 0 }), o, at);
  }
}

export function recordHardening(s: RecorderState, at: number, mode: 'attack' | 'calm', changes: readonly string[]): void {
  s.hardening.push({ at, mode, changes: [...changes] });
}
