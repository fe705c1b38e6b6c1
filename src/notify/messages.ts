// The messages synguard sends (webhook body, command stdin): one stable shape per `type`, versioned by `schema`.
// Pure: built from daemon events with the time and host passed in (docs/notify.md documents every field).
import type { Decision } from '../core/decision.js';
import { iso } from '../core/format.js';

export const MESSAGE_SCHEMA = 1;

interface Envelope {
  /** Bumped only when a field changes meaning or disappears; new fields may appear within a version. */
  readonly schema: typeof MESSAGE_SCHEMA;
  /** Unique per message; a retried delivery keeps it, so a receiver can drop duplicates. */
  readonly id: string;
  readonly host: string;
  /** ISO 8601, when the daemon saw it. */
  readonly time: string;
}

export interface AttackStartMessage extends Envelope {
  readonly type: 'attack-start';
  readonly attack: { readonly id: number; readonly class: string; readonly startedAt: string; readonly summary: string; readonly evidence: readonly string[] };
}

export interface AttackEndMessage extends Envelope {
  readonly type: 'attack-end';
  readonly attack: {
    readonly id: number | null; readonly class: string; readonly startedAt: string | null; readonly endedAt: string;
    readonly durationSeconds: number | null; readonly summary: string | null; readonly evidence: readonly string[];
  };
  /** The attack report's id and headline figures (docs/reports.md); null when none was recorded. */
  readonly report: ReportHeadline | null;
}

export interface ReportHeadline {
  readonly id: string;
  readonly peakHalfOpen: number;
  readonly peakCookiesSentPerSecond: number | null;
  readonly bans: number;
  readonly cookieVerdict: string;
}

export interface BanSample {
  readonly value: string;
  readonly scope: string;
  readonly origin: string;
  readonly reason: string;
  readonly until: string;
}

export interface BansMessage extends Envelope {
  readonly type: 'bans';
  /** The batch window: first and last ban. */
  readonly from: string;
  readonly to: string;
  readonly count: number;
  readonly scopes: Readonly<Record<string, number>>;
  /** The first `banSample` bans of the window, in order. */
  readonly bans: readonly BanSample[];
  /** Bans in `count` not listed in `bans`. */
  readonly more: number;
}

export interface HardeningMessage extends Envelope {
  readonly type: 'hardening';
  /** on: SYN defences raised under attack; off: the original sysctls restored. */
  readonly state: 'on' | 'off';
  readonly changes: readonly string[];
}

export type Message = AttackStartMessage | AttackEndMessage | BansMessage | HardeningMessage;
export type MessageType = Message['type'];

export interface Stamp {
  readonly id: string;
  readonly host: string;
  readonly at: number;
}


const envelope = (s: Stamp): Envelope => ({ schema: MESSAGE_SCHEMA, id: s.id, host: s.host, time: iso(s.at) });

export function attackStart(s: Stamp, a: { eventId: number; kind: string; summary: string; evidence: readonly string[] }): AttackStartMessage {
  return { ...envelope(s), type: 'attack-start', attack: { id: a.eventId, class: a.kind, startedAt: iso(s.at), summary: a.summary, evidence: [...a.evidence] } };
}

export function attackEnd(
  s: Stamp,
  a: { eventId: number | null; kind: string; startedAt: number | null; summary: string | null; evidence: readonly string[] },
  report: ReportHeadline | null,
): AttackEndMessage {
  return {
    ...envelope(s), type: 'attack-end',
    attack: {
      id: a.eventId, class: a.kind, startedAt: a.startedAt === null ? null : iso(a.startedAt), endedAt: iso(s.at),
      durationSeconds: a.startedAt === null ? null : Math.round((s.at - a.startedAt) / 1000), summary: a.summary, evidence: [...a.evidence],
    },
    report,
  };
}

export function hardening(s: Stamp, mode: 'attack' | 'calm', changes: readonly string[]): HardeningMessage {
  return { ...envelope(s), type: 'hardening', state: mode === 'attack' ? 'on' : 'off', changes: [...changes] };
}

/** One ban window's worth of decisions, kept bounded: the count and scopes are complete, the list is the first N. */
export class BanBatch {
  private count = 0;
  private readonly scopes: Record<string, number> = {};
  private readonly sample: BanSample[] = [];
  private first = 0;
  private last = 0;

  constructor(private readonly sampleSize: number) {}

  get size(): number {
    return this.count;
  }

  add(decisions: readonly Decision[], at: number): void {
    if (decisions.length === 0) return;
    if (this.count === 0) this.first = at;
    this.last = at;
    for (const d of decisions) {
      this.count++;
      this.scopes[d.scope] = (this.scopes[d.scope] ?? 0) + 1;
      if (this.sample.length < this.sampleSize) {
        this.sample.push({ value: d.value, scope: d.scope, origin: d.origin, reason: d.reason, until: iso(d.until) });
      }
    }
  }

  message(s: Stamp): BansMessage {
    return {
      ...envelope(s), type: 'bans', from: iso(this.first), to: iso(this.last), count: this.count,
      scopes: { ...this.scopes }, bans: [...this.sample], more: this.count - this.sample.length,
    };
  }
}
