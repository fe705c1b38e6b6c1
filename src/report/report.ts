// The finished attack report: what the recorder kept, the decisions taken between start and end, and what the
// cookie balance means. Pure; written as <id>.json beside a Markdown summary (docs/reports.md).
import type { DecisionRecord } from '../store/index.js';
import { PEAKS, type PeakName, type RecorderState } from './recorder.js';
import { iso } from '../core/format.js';

export const REPORT_SCHEMA = 1;
/** 20261126T012345Z-7: the attack's start (UTC, to the second) and its store event id. Sorts by time. */
export const REPORT_ID = /^\d{8}T\d{6}Z-\d{1,12}$/;
const LISTED_DECISIONS = 100;
const LISTED_SOURCES = 20;


export function reportId(startedAt: number, eventId: number): string {
  return `${iso(startedAt).replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${eventId}`;
}

export interface CookieBalance {
  /** Over the attack, from the kernel's TcpExt counters; null when the kernel does not report them. */
  readonly sent: number | null;
  readonly returned: number | null;
  readonly failed: number | null;
  /** returned / sent, or null when no cookie was sent. */
  readonly returnRatio: number | null;
  readonly verdict: string;
}

export interface AttackReport {
  readonly schema: typeof REPORT_SCHEMA;
  readonly id: string;
  readonly eventId: number;
  readonly class: string;
  readonly summary: string;
  readonly evidence: readonly string[];
  readonly startedAt: string;
  readonly endedAt: string;
  readonly durationSeconds: number;
  readonly lastAttackSeenAt: string | null;
  /** Why the report ends early (the daemon stopped during the attack), or null. */
  readonly interrupted: string | null;
  readonly ticks: number;
  /** Ticks per verdict while the attack lasted (a flood may change shape). */
  readonly classes: Readonly<Record<string, number>>;
  readonly peaks: Readonly<Record<PeakName, { value: number; at: string } | null>>;
  readonly listenerPeak: { listener: string; synRecv: number; backlog: number; at: string } | null;
  readonly cookies: CookieBalance;
  readonly sources: {
    readonly maxDistinct: number;
    readonly top: ReadonlyArray<{ address: string; prefix: string; maxHalfOpen: number; maxEstablished: number; seen: number }>;
    readonly prefixes: ReadonlyArray<{ prefix: string; maxHalfOpen: number; maxEstablished: number; maxAddresses: number; seen: number }>;
  };
  /**
   * The kernel meter's top SYN senders over the attack, highest peak first: an address, or a prefix the kernel dropped
   * as a whole; proven and dropped if so at any sample. Absent in reports written before the meter existed.
   */
  readonly synSenders?: ReadonlyArray<{ address: string; maxSynPerSecond: number; at: string; proven: boolean; dropped: boolean; seen: number }>;
  readonly decisions: {
    readonly count: number;
    readonly scopes: Readonly<Record<string, number>>;
    readonly origins: Readonly<Record<string, number>>;
    readonly list: ReadonlyArray<{ value: string; scope: string; origin: string; reason: string; offence: number; createdAt: string; until: string }>;
  };
  readonly hardening: ReadonlyArray<{ at: string; state: 'on' | 'off'; changes: readonly string[] }>;
}

const pct = (r: number): string => `${(r * 100).toFixed(r < 0.01 ? 2 : 1)}%`;

/** What the cookie counters say about the sources: cookies that never come back were sent to forged addresses. */
export function cookieBalance(first: Readonly<Record<string, number>> | null, last: Readonly<Record<string, number>> | null): CookieBalance {
  const delta = (name: string): number | null => {
    const a = first?.[name], b = last?.[name];
    return a === undefined || b === undefined || b < a ? null : b - a;
  };
  const sent = delta('SyncookiesSent'), returned = delta('SyncookiesRecv'), failed = delta('SyncookiesFailed');
  const ratio = sent !== null && sent > 0 && returned !== null ? returned / sent : null;
  let verdict: string;
  if (sent === null) verdict = 'the kernel did not report SYN cookie counters';
  else if (sent === 0) verdict = 'no SYN cookies were sent: the SYN queues never overflowed (or cookies were off)';
  else if (ratio === null) verdict = `${sent} cookies sent; returns unknown`;
  else if (ratio < 0.05) verdict = `only ${pct(ratio)} of the cookies came back: the handshakes were never completed: spoofed sources (or a flood tool that ignores SYN-ACKs)`;
  else if (ratio < 0.5) verdict = `${pct(ratio)} of the cookies came back: a mix of forged sources and real hosts completing handshakes`;
  else verdict = `${pct(ratio)} of the cookies came back: most sources completed their handshakes (real hosts, not spoofed)`;
  if (failed !== null && failed > 0) verdict += `; ${failed} ACKs carried an invalid cookie (SyncookiesFailed: forged or stale)`;
  return { sent, returned, failed, returnRatio: ratio === null ? null : Math.round(ratio * 10_000) / 10_000, verdict };
}

const count = <T>(items: readonly T[], key: (t: T) => string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const i of items) out[key(i)] = (out[key(i)] ?? 0) + 1;
  return out;
};

/**
 * The report of a finished (or interrupted) attack. `decisions`: the store's history since the start; those
 * created after `endedAt` are left out.
 */
export function finishReport(s: RecorderState, endedAt: number, decisions: readonly DecisionRecord[], interrupted: string | null = null): AttackReport {
  const taken = decisions.filter((d) => d.createdAt >= s.startedAt && d.createdAt <= endedAt).sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
  const peaks = Object.fromEntries(PEAKS.map((name) => {
    const p = s.peaks[name];
    return [name, p ? { value: p.value, at: iso(p.at) } : null];
  })) as Record<PeakName, { value: number; at: string } | null>;
  return {
    schema: REPORT_SCHEMA,
    id: reportId(s.startedAt, s.eventId),
    eventId: s.eventId,
    class: s.kind,
    summary: s.summary,
    evidence: s.evidence,
    startedAt: iso(s.startedAt),
    endedAt: iso(endedAt),
    durationSeconds: Math.max(0, Math.round((endedAt - s.startedAt) / 1000)),
    lastAttackSeenAt: s.lastAttackAt === null ? null : iso(s.lastAttackAt),
    interrupted,
    ticks: s.ticks,
    classes: { ...s.classes },
    peaks,
    listenerPeak: s.listenerPeak ? { ...s.listenerPeak, at: iso(s.listenerPeak.at) } : null,
    cookies: cookieBalance(s.countersFirst, s.countersLast),
    sources: {
      maxDistinct: s.maxDistinctSources,
      top: Object.entries(s.sources).map(([address, t]) => ({ address, ...t }))
        .sort((a, b) => b.maxHalfOpen + b.maxEstablished - (a.maxHalfOpen + a.maxEstablished)).slice(0, LISTED_SOURCES),
      prefixes: Object.entries(s.prefixes).map(([prefix, t]) => ({ prefix, ...t }))
        .sort((a, b) => b.maxHalfOpen + b.maxEstablished - (a.maxHalfOpen + a.maxEstablished)).slice(0, LISTED_SOURCES),
    },
    synSenders: Object.entries(s.synSenders ?? {}).map(([address, t]) => ({ address, ...t, at: iso(t.at) }))
      .sort((a, b) => b.maxSynPerSecond - a.maxSynPerSecond || a.address.localeCompare(b.address)).slice(0, LISTED_SOURCES),
    decisions: {
      count: taken.length,
      scopes: count(taken, (d) => d.scope),
      origins: count(taken, (d) => d.origin),
      list: taken.slice(0, LISTED_DECISIONS).map((d) => ({
        value: d.value, scope: d.scope, origin: d.origin, reason: d.reason, offence: d.offence, createdAt: iso(d.createdAt), until: iso(d.until),
      })),
    },
    hardening: s.hardening.map((h) => ({ at: iso(h.at), state: h.mode === 'attack' ? 'on' : 'off', changes: h.changes })),
  };
}

/** The one-line figures of a report, for listings and the attack-end message. */
export function headline(r: AttackReport) {
  return {
    id: r.id,
    class: r.class,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    durationSeconds: r.durationSeconds,
    peakHalfOpen: r.peaks.halfOpen?.value ?? 0,
    peakCookiesSentPerSecond: r.peaks.cookiesSentPerSecond?.value ?? null,
    bans: r.decisions.count,
    cookieVerdict: r.cookies.verdict,
    interrupted: r.interrupted,
  };
}
export type ReportSummary = ReturnType<typeof headline>;
