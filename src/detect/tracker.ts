// Detection over time: from each tick's snapshot and verdict to offenders, the spoofing guard and the attack
// state (with hysteresis). Pure: the caller passes the previous state and the time.
import type { Assessment, AssessmentKind } from './assess.js';
import type { AssessmentConfig } from '../config/schema.js';
import { keyText, type Snapshot } from './snapshot.js';
import type { SourceSummary } from './sources.js';
import { STATE_SLOTS } from '../observe/socket-tally.js';

/**
 * Per-source thresholds are the assessment's (synFlood.perSourceHalfOpen, connectionFlood.perSourceEstablished),
 * so `status` and the defender agree on who is an offender; more offenders than synFlood.maxOffenders in one tick
 * is a spread flood, and the spoofing guard bans none of them.
 */
export interface TrackerOptions {
  /** A source opening at least this many new connections per second is an offender (0 disables). */
  readonly newConnectionsPerSecond: number;
  /** An attack ends after this many seconds without one (hysteresis: no flapping start/end). */
  readonly calmSeconds: number;
}

export interface Offender {
  /** Canonical CIDR text: an address as /32 or /128, or a prefix. */
  readonly value: string;
  readonly reason: string;
  readonly evidence: string[];
}

export interface AttackState {
  readonly active: boolean;
  readonly kind: AssessmentKind;
  readonly since: number | null;
  /** When the verdict was last an attack. */
  readonly lastSeen: number | null;
}

export interface TrackerOutput {
  readonly offenders: Offender[];
  /** True when the guard held bans back: the flood is spread over sources that are each below threshold or too many. */
  readonly spoofed: boolean;
  readonly guardReason: string | null;
  readonly attack: AttackState;
  readonly changed: 'started' | 'ended' | null;
}

export const CALM: AttackState = { active: false, kind: 'none', since: null, lastSeen: null };
const ATTACKS: ReadonlySet<AssessmentKind> = new Set(['syn-flood', 'spoofed-syn-flood', 'cookies-coping', 'connection-flood']);

const host = (address: string): string => `${address}/${address.includes(':') ? 128 : 32}`;

/** Sources whose socket count grew by at least `perSecond` since the previous snapshot (new connections, a lower bound). */
function churners(prev: Snapshot | undefined, cur: Snapshot, perSecond: number, seconds: number): Offender[] {
  if (!prev || perSecond <= 0 || seconds <= 0) return [];
  const out: Offender[] = [];
  cur.raw.tally.forEachSource((key, counts, at) => {
    let total = 0;
    for (let i = 0; i < STATE_SLOTS; i++) total += counts[at + i] ?? 0;
    if (total < perSecond * seconds) return;
    const rate = (total - prev.raw.tally.totalOf(key)) / seconds;
    if (rate >= perSecond) {
      out.push({ value: host(keyText(key)), reason: 'connection rate', evidence: [`${Math.round(rate)} new connections/s (≥ ${perSecond})`] });
    }
  });
  return out;
}

function nextAttack(state: AttackState, a: Assessment, calmSeconds: number, now: number): [AttackState, TrackerOutput['changed']] {
  if (ATTACKS.has(a.kind)) {
    if (state.active) return [{ ...state, kind: a.kind, lastSeen: now }, null];
    return [{ active: true, kind: a.kind, since: now, lastSeen: now }, 'started'];
  }
  if (state.active && state.lastSeen !== null && now - state.lastSeen >= calmSeconds * 1000) return [CALM, 'ended'];
  return [state, null];
}

export function track(
  state: AttackState,
  prev: Snapshot | undefined,
  cur: Snapshot,
  a: Assessment,
  /** From summarizeSources(cur, offenderOptions(cfg)). */
  src: SourceSummary,
  cfg: AssessmentConfig,
  opts: TrackerOptions,
  now: number,
): TrackerOutput {
  const halfOpenMin = cfg.synFlood.perSourceHalfOpen;
  const establishedMin = cfg.connectionFlood.perSourceEstablished;
  const maxOffenders = cfg.synFlood.maxOffenders;
  const [attack, changed] = nextAttack(state, a, opts.calmSeconds, now);
  const seconds = prev ? (cur.takenAt - prev.takenAt) / 1000 : 0;
  const halfOpen = src.halfOpenOffenders;
  const established = src.establishedOffenders;
  const fast = churners(prev, cur, opts.newConnectionsPerSecond, seconds);
  const byValue = new Map<string, Offender>();
  const addAll = (list: Offender[]) => {
    for (const o of list) {
      const seen = byValue.get(o.value);
      byValue.set(o.value, seen ? { ...seen, reason: `${seen.reason}, ${o.reason}`, evidence: [...seen.evidence, ...o.evidence] } : o);
    }
  };

  let guardReason: string | null = null;
  if (halfOpen.length > maxOffenders) {
    guardReason = `${halfOpen.length}+ sources each hold ≥ ${halfOpenMin} half-open: a spread flood, likely spoofed; hardening instead of banning`;
    // Prefixes may still be few (addresses rotating inside one /64): those are banned.
    const prefixes = src.halfOpenPrefixOffenders;
    if (prefixes.length > 0 && prefixes.length <= maxOffenders) {
      addAll(prefixes.map((p) => ({ value: p.prefix, reason: 'half-open flood from one prefix', evidence: [`${p.prefix}: ${p.synRecv} half-open from ${p.addresses} addresses`] })));
    }
  } else {
    addAll(halfOpen.map((o) => ({ value: host(o.address), reason: 'half-open flood', evidence: [`${o.address}: ${o.synRecv} half-open (≥ ${halfOpenMin})`] })));
    // A rotating source: no single address reaches the threshold, but its prefix does, and the verdict named it.
    if (a.kind === 'syn-flood') {
      const named = new Set(a.offenders);
      addAll(src.halfOpenPrefixOffenders.filter((p) => named.has(p.prefix)).map((p) => ({ value: p.prefix, reason: 'half-open flood from one prefix', evidence: [`${p.prefix}: ${p.synRecv} half-open from ${p.addresses} addresses`] })));
    }
  }
  if (established.length <= maxOffenders) {
    addAll(established.map((o) => ({ value: host(o.address), reason: 'connection flood', evidence: [`${o.address}: ${o.established} established (≥ ${establishedMin})`] })));
  } else guardReason ??= `${established.length}+ sources each hold ≥ ${establishedMin} established connections; not banning so many at once`;
  if (fast.length <= maxOffenders) addAll(fast);

  const spoofed = guardReason !== null || (a.kind === 'spoofed-syn-flood' && byValue.size === 0);
  if (spoofed && guardReason === null) guardReason = `spread over many sources, none above threshold: ${a.evidence[0] ?? a.summary}`;
  return { offenders: [...byValue.values()], spoofed, guardReason, attack, changed };
}
