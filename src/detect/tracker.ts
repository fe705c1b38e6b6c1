// Detection over time: from each tick's source summary and verdict to offenders (thresholds with hysteresis), the
// spoofing guard, and the attack state. Pure: the caller passes the previous state and the time.
import type { Assessment, AssessmentKind } from './assess.js';
import type { DetectionConfig } from '../config/schema.js';
import type { SourceOptions, SourceSummary } from './sources.js';
import { CAPACITY_IDLE, detectCapacity, type CapacityState } from './capacity.js';
import type { ListenerStat } from './snapshot.js';

import type { Offender } from './offender.js';

export type { Offender } from './offender.js';

export interface AttackState {
  readonly active: boolean;
  readonly kind: AssessmentKind;
  readonly since: number | null;
  /** When the verdict was last an attack. */
  readonly lastSeen: number | null;
}

export interface TrackerState {
  readonly attack: AttackState;
  /** Values flagged last tick: they stay offenders until they drop below the `clear` threshold. */
  readonly hot: ReadonlySet<string>;
  /** Since when a listener has been full (capacity detector); absent = never. */
  readonly capacity?: CapacityState;
}

export interface TrackerOutput {
  readonly state: TrackerState;
  readonly offenders: Offender[];
  /** True when the guard held bans back: the flood is spread over sources that are each below threshold, or too many. */
  readonly spoofed: boolean;
  readonly guardReason: string | null;
  readonly changed: 'started' | 'ended' | null;
  /** The verdict the attack state followed: the assessment, or a connection flood when a full server's slots are held. */
  readonly verdict: Assessment;
  /** A prefix holds a full server's slots, not yet for `capacity.fullFor`: the daemon looks again sooner. */
  readonly capacityPending: boolean;
}

export const CALM: AttackState = { active: false, kind: 'none', since: null, lastSeen: null };
export const INITIAL: TrackerState = { attack: CALM, hot: new Set() };
const ATTACKS: ReadonlySet<AssessmentKind> = new Set(['syn-flood', 'spoofed-syn-flood', 'cookies-coping', 'connection-flood']);

const host = (address: string): string => `${address}/${address.includes(':') ? 128 : 32}`;

/** Summary options that serve both the verdict (at `ban`) and the tracker's hysteresis (down to `clear`). */
export function defenderSourceOptions(d: DetectionConfig, top = 10): SourceOptions {
  return {
    top,
    halfOpenAtLeast: Math.max(1, d.halfOpen.clear),
    establishedAtLeast: Math.max(1, d.established.clear),
    // The verdict also weighs prefixes at the per-source threshold (halfOpen.ban).
    prefixHalfOpenAtLeast: Math.max(1, Math.min(d.halfOpen.ban, d.prefixHalfOpen.clear)),
    prefixEstablishedAtLeast: Math.max(1, d.prefixEstablished.clear),
    halfOpenLimit: d.synFlood.maxOffenders,
    establishedLimit: d.established.maxOffenders,
  };
}

function nextAttack(state: AttackState, a: Assessment, calmMs: number, now: number): [AttackState, TrackerOutput['changed']] {
  if (ATTACKS.has(a.kind)) {
    if (state.active) return [{ ...state, kind: a.kind, lastSeen: now }, null];
    return [{ active: true, kind: a.kind, since: now, lastSeen: now }, 'started'];
  }
  if (state.active && state.lastSeen !== null && now - state.lastSeen >= calmMs) return [CALM, 'ended'];
  return [state, null];
}

export interface TrackInput {
  readonly assessment: Assessment;
  /** From summarizeSources(cur, defenderSourceOptions(...)). */
  readonly sources: SourceSummary;
  readonly detection: DetectionConfig;
  /** How long without an attack before it counts as ended (ms). */
  readonly calmMs: number;
  readonly now: number;
  /** The snapshot's listeners and ESTABLISHED count, for the capacity detector; absent = it does not run. */
  readonly listeners?: readonly ListenerStat[];
  readonly established?: number;
}

export function track(state: TrackerState, input: TrackInput): TrackerOutput {
  const { sources: src, detection: det, now } = input;
  // Each kind of offender has its own cap: more than that many is a spread flood, not "a few sources".
  const maxHalfOpen = det.synFlood.maxOffenders, maxEstablished = det.established.maxOffenders;
  const cap = input.listeners
    ? detectCapacity(state.capacity ?? CAPACITY_IDLE, input.listeners, input.established ?? 0, src, det.capacity, now)
    : null;
  // A full server whose slots a prefix holds is under a connection flood even when the verdict saw none.
  const a = cap?.offenders.length && !ATTACKS.has(input.assessment.kind)
    ? { ...input.assessment, kind: 'connection-flood' as const, summary: `connection flood: a full server's slots are held (${cap.full.join(', ')})`, evidence: cap.offenders.flatMap((o) => o.evidence).slice(0, 10), offenders: cap.offenders.map((o) => o.value) }
    : input.assessment;
  const [attack, changed] = nextAttack(state.attack, a, input.calmMs, now);
  const over = (value: string, n: number, t: { ban: number; clear: number }) => n >= t.ban || (state.hot.has(value) && n >= t.clear);
  const offenders = new Map<string, Offender>();
  const add = (o: Offender) => {
    const seen = offenders.get(o.value);
    offenders.set(o.value, seen ? { ...seen, reason: `${seen.reason}, ${o.reason}`, evidence: [...seen.evidence, ...o.evidence] } : o);
  };
  let guardReason: string | null = null;

  const halfOpen = src.halfOpenOffenders.filter((o) => over(host(o.address), o.synRecv, det.halfOpen));
  if (halfOpen.length > maxHalfOpen) {
    guardReason = `${halfOpen.length}+ sources each hold ≥ ${det.halfOpen.ban} half-open: a spread flood, likely spoofed; hardening instead of banning`;
  } else {
    for (const o of halfOpen) add({ value: host(o.address), reason: 'half-open flood', evidence: [`${o.address}: ${o.synRecv} half-open (ban at ${det.halfOpen.ban})`] });
  }
  // Prefixes: what their addresses hold together once the address offenders are taken out (rotating sources).
  // A prefix needs at least two such addresses: one address alone is judged as an address, not as its /24.
  const taken = new Map<string, { synRecv: number; addresses: number }>();
  for (const o of halfOpen) {
    const t = taken.get(o.prefix) ?? { synRecv: 0, addresses: 0 };
    taken.set(o.prefix, { synRecv: t.synRecv + o.synRecv, addresses: t.addresses + 1 });
  }
  const prefixes = src.halfOpenPrefixOffenders.filter((p) => {
    const t = taken.get(p.prefix) ?? { synRecv: 0, addresses: 0 };
    return p.halfOpenAddresses - t.addresses >= 2 && over(p.prefix, p.synRecv - t.synRecv, det.prefixHalfOpen);
  });
  if (prefixes.length <= maxHalfOpen) {
    for (const p of prefixes) add({ value: p.prefix, reason: 'half-open flood from one prefix', evidence: [`${p.prefix}: ${p.synRecv} half-open from ${p.addresses} addresses (ban at ${det.prefixHalfOpen.ban})`] });
  }
  const established = src.establishedOffenders.filter((o) => over(host(o.address), o.established, det.established));
  if (established.length <= maxEstablished) {
    for (const o of established) add({ value: host(o.address), reason: 'connection flood', evidence: [`${o.address}: ${o.established} established (ban at ${det.established.ban})`] });
  } else guardReason ??= `${established.length}+ sources each hold ≥ ${det.established.ban} established connections; not banning so many at once`;
  // Prefixes holding many connections through addresses each below the per-source threshold.
  const estTaken = new Map<string, number>();
  for (const o of established) estTaken.set(o.prefix, (estTaken.get(o.prefix) ?? 0) + o.established);
  const estPrefixes = src.establishedPrefixOffenders.filter((p) => over(p.prefix, p.established - (estTaken.get(p.prefix) ?? 0), det.prefixEstablished));
  if (estPrefixes.length <= maxEstablished) {
    for (const p of estPrefixes) add({ value: p.prefix, reason: 'connection flood from one prefix', evidence: [`${p.prefix}: ${p.established} established from ${p.addresses} addresses (ban at ${det.prefixEstablished.ban})`] });
  }

  for (const o of cap?.offenders ?? []) add({ value: o.value, reason: 'holds the slots of a full server', evidence: o.evidence });

  const spoofed = guardReason !== null || (a.kind === 'spoofed-syn-flood' && offenders.size === 0);
  if (spoofed && guardReason === null) guardReason = `spread over many sources, none above threshold: ${a.evidence[0] ?? a.summary}`;
  return { state: { attack, hot: new Set(offenders.keys()), ...(cap ? { capacity: cap.state } : {}) }, offenders: [...offenders.values()], spoofed, guardReason, changed, verdict: a, capacityPending: cap?.pending ?? false };
}
