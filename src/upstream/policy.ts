// The graded escalation: FlowSpec rate-limit → FlowSpec discard → RTBH (only if enabled), each step held at least its
// hold-down and at most its maximum duration, all withdrawn once the uplink has been calm long enough. The state lives
// in the stored announcements, so a restarted daemon continues where it stopped. Pure: time comes in.
import type { AnnouncementRecord, AnnouncementEndKind, NewAnnouncement } from '../store/announcements.js';
import { hostPrefix, insideOwnNetworks, wireKey, type AnnouncementKind } from './announcement.js';
import type { UpstreamConfig } from '../config/upstream.js';
import type { PressureState } from './saturation.js';

/** The attacked destination: the local address and port holding the most half-open connections. */
export interface Target {
  readonly address: string;
  readonly port: number | null;
}

export interface PolicyInput {
  readonly now: number;
  readonly pressure: PressureState;
  readonly target: Target | null;
  /** Announcements not ended yet. */
  readonly open: readonly AnnouncementRecord[];
  /** Announcements ended since the current pressure episode began (none when calm). */
  readonly endedThisEpisode: readonly AnnouncementRecord[];
}

export interface EndAction {
  readonly record: AnnouncementRecord;
  readonly kind: AnnouncementEndKind;
  readonly reason: string;
}

export interface PolicyResult {
  readonly announce: readonly NewAnnouncement[];
  readonly end: readonly EndAction[];
  /** Why the attacked address could not be announced (e.g. outside the own networks), else null. */
  readonly refused: string | null;
}

type StepConfig = UpstreamConfig['steps']['discard'];

export function stepConfig(cfg: UpstreamConfig, kind: AnnouncementKind): StepConfig {
  return kind === 'flowspec-rate-limit' ? cfg.steps.rateLimit : kind === 'flowspec-discard' ? cfg.steps.discard : cfg.steps.rtbh;
}

/** The enabled steps, in order. */
export function ladder(cfg: UpstreamConfig): AnnouncementKind[] {
  return (['flowspec-rate-limit', 'flowspec-discard', 'rtbh'] as const).filter((k) => stepConfig(cfg, k).enabled);
}

const held = (r: AnnouncementRecord, cfg: UpstreamConfig, now: number) => now - r.createdAt >= stepConfig(cfg, r.kind).holdDown;

/** A spec for step `kind` against `target` (the caller has checked the prefix). */
function spec(cfg: UpstreamConfig, kind: AnnouncementKind, prefix: string, port: number | null, now: number, evidence: readonly string[]): NewAnnouncement {
  const step = stepConfig(cfg, kind);
  return {
    kind, prefix, port: kind === 'rtbh' ? null : port,
    bytesPerSecond: kind === 'flowspec-rate-limit' ? cfg.steps.rateLimit.bytesPerSecond : null,
    reason: `uplink saturated: ${kind} for ${prefix}${kind !== 'rtbh' && port !== null ? ` port ${port}` : ''}`,
    evidence, origin: 'auto', createdAt: now, until: now + step.maxDuration,
  };
}

export function decideUpstream(input: PolicyInput, cfg: UpstreamConfig): PolicyResult {
  const { now, pressure } = input;
  const end: EndAction[] = [];
  const announce: NewAnnouncement[] = [];
  // 1. Anything past its maximum duration goes, attack or not.
  const live = input.open.filter((r) => {
    if (r.until > now) return true;
    end.push({ record: r, kind: 'expired', reason: `maximum duration of ${r.kind} reached` });
    return false;
  });
  // 2. Calm for long enough: automatic announcements are withdrawn once their hold-down has passed.
  if (!pressure.pressured) {
    for (const r of live) {
      if (r.origin === 'auto' && held(r, cfg, now)) end.push({ record: r, kind: 'withdrawn', reason: 'uplink calm again' });
    }
    return { announce, end, refused: null };
  }
  // 3. Pressure: escalate one step on the attacked address once the current step's hold-down has passed.
  if (input.target === null) return { announce, end, refused: null };
  const prefix = hostPrefix(input.target.address);
  if (prefix === null || !insideOwnNetworks(prefix, cfg.ownNetworks)) {
    return { announce, end, refused: `${input.target.address} is outside upstream.ownNetworks: never announced` };
  }
  const steps = ladder(cfg);
  const mine = live.filter((r) => r.prefix === prefix);
  const level = Math.max(-1, ...mine.map((r) => steps.indexOf(r.kind)));
  const current = mine.find((r) => steps.indexOf(r.kind) === level);
  if (current !== undefined && !held(current, cfg, now)) return { announce, end, refused: null };
  // A step that ran its maximum duration in this episode is not announced again until the uplink is calm, and
  // neither is any gentler step below it: the ladder only climbs within an episode.
  const expired = [...input.endedThisEpisode.filter((r) => r.endKind === 'expired'), ...end.map((e) => e.record)];
  const spent = Math.max(-1, ...expired.filter((r) => r.prefix === prefix).map((r) => steps.indexOf(r.kind)));
  const next = steps[Math.max(level, spent) + 1];
  if (next === undefined) return { announce, end, refused: null };
  const created = spec(cfg, next, prefix, input.target.port, now, pressure.signals);
  // Rate-limit and discard of one address and port are one FlowSpec NLRI: the discard replaces the rate-limit.
  for (const r of mine) {
    if (wireKey(r) === wireKey(created)) end.push({ record: r, kind: 'superseded', reason: `replaced by ${next}` });
  }
  announce.push(created);
  return { announce, end, refused: null };
}
