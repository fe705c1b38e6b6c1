// The ban policy, pure with time passed in: offenders + active bans + past offences → decisions, extensions, refusals.
import type { Decision } from '../core/decision.js';
import type { Config } from '../config/schema.js';
import { formatDuration } from '../config/duration-text.js';
import { aggregate, type Candidate, type Offence } from './aggregate.js';
import { ActiveIndex } from './active-index.js';
import type { AllowList } from './allow-list.js';
import { toNet } from './cidr-math.js';
import { banDuration } from './durations.js';

export interface Offender {
  /** An address or CIDR; canonicalised here (IPv4-mapped → IPv4). */
  readonly value: string;
  readonly reason: string;
  readonly evidence: readonly string[];
  /** 'kernel': the SYN-rate meter measured it over its per-source rate and dropped it first. */
  readonly origin?: 'kernel';
}

export interface PolicyInput {
  readonly offenders: readonly Offender[];
  /**
   * The flood is spread over many sources each below threshold: their addresses are likely forged. Offenders the
   * kernel metered are not refused for it: each of them alone sent over its per-source rate.
   */
  readonly spoofed: boolean;
  readonly active: readonly Decision[];
  /** Past offences per value within `bans.memory` (store.decisions.offences over `offenceValues(...)`). */
  readonly offenceCounts: ReadonlyMap<string, number>;
  /** Auto-bans created in the last minute (store.decisions.autoCreatedSince); counted from `active` if absent. */
  readonly recentAutoBans?: number;
  readonly allow: AllowList;
  readonly config: Config;
  readonly now: number;
}

export interface Refusal { readonly value: string; readonly why: string }

export interface PolicyResult {
  /** New decisions: store them, then apply them. */
  readonly decisions: Decision[];
  /** Active decisions (with their id) given a later `until`: store.decisions.extend, then re-apply. */
  readonly extended: Decision[];
  /** Active address bans now covered by a new prefix decision: end them (kind 'superseded'). */
  readonly superseded: Decision[];
  readonly refused: Refusal[];
  readonly notes: string[];
}

export const SPOOFING_GUARD = 'spoofing guard: the flood is spread over many sources each below threshold, so the ' +
  'source addresses are likely forged and banning them would hit innocent hosts; no auto-bans, SYN defences instead';

const MINUTE = 60_000;

function canonical(offenders: readonly Offender[], refused: Refusal[]): Offence[] {
  const byValue = new Map<string, Offence>();
  for (const o of offenders) {
    try {
      const net = toNet(o.value);
      const prev = byValue.get(net.text);
      byValue.set(net.text, prev
        ? { ...prev, reason: prev.reason === o.reason ? prev.reason : `${prev.reason}, ${o.reason}`, evidence: [...prev.evidence, ...o.evidence] }
        : { net, reason: o.reason, evidence: o.evidence, ...(o.origin ? { origin: o.origin } : {}) });
    } catch (err) {
      refused.push({ value: o.value, why: (err as Error).message });
    }
  }
  return [...byValue.values()];
}

/** The values whose past offences `decide` needs: every offender and its /24 or /64. */
export function offenceValues(offenders: readonly Offender[], config: Config): string[] {
  const values = new Set<string>();
  for (const o of offenders) {
    try {
      const net = toNet(o.value);
      values.add(net.text);
      const len = net.family === 4 ? config.prefixes.ipv4 : config.prefixes.ipv6;
      if (net.length > len) values.add(toNet(`${net.text.slice(0, net.text.lastIndexOf('/'))}/${len}`).text);
    } catch {
      // refused by decide
    }
  }
  return [...values];
}

/**
 * Judges one tick's offenders. Order: allow-list (refused), already banned (extended at the same offence level if
 * the new end is later), covered by an active prefix (nothing), caps (refused), else a new decision whose length
 * grows with past offences. Aggregated prefixes are judged first; a refused prefix falls back to its addresses.
 */
export function decide(input: PolicyInput): PolicyResult {
  const { config, now, allow } = input;
  const bans = config.defender.bans;
  const out: PolicyResult = { decisions: [], extended: [], superseded: [], refused: [], notes: [] };
  let offences = canonical(input.offenders, out.refused);
  if (input.spoofed) {
    out.notes.push(SPOOFING_GUARD);
    for (const o of offences) if (o.origin !== 'kernel') out.refused.push({ value: o.net.text, why: SPOOFING_GUARD });
    offences = offences.filter((o) => o.origin === 'kernel');
  }
  const live = new ActiveIndex(input.active, now);
  const isAuto = (d: Decision) => d.origin !== 'manual';
  let activeAuto = live.values().filter(isAuto).length;
  let recent = input.recentAutoBans ?? live.values().filter((d) => isAuto(d) && d.createdAt > now - MINUTE).length;

  const place = (c: Candidate): boolean => {
    const value = c.net.text;
    const why = allow.why(value);
    if (why !== null) return void out.refused.push({ value, why }), false;
    const same = live.get(value);
    if (same) {
      const until = now + banDuration(same.offence, bans);
      if (until > same.until) {
        const longer = { ...same, until };
        out.extended.push(longer);
        live.set(longer);
        out.notes.push(`${value} is still offending while banned: ban extended to ${formatDuration(until - now)} from now`);
      }
      return true;
    }
    const cover = live.covering(c.net);
    if (cover) return void out.notes.push(`${value} is already covered by the active ban on ${cover.value}`), true;
    const offence = (input.offenceCounts.get(value) ?? 0) + 1;
    const until = now + banDuration(offence, bans);
    const replaced = live.hostsIn(c.net).filter((d) => d.until <= until);
    const freed = replaced.filter(isAuto).length;
    if (recent >= bans.perMinute) {
      return void out.refused.push({ value, why: `cap reached: ${recent} auto-bans in the last minute (defender.bans.perMinute = ${bans.perMinute})` }), false;
    }
    if (activeAuto - freed >= bans.maxActive) {
      return void out.refused.push({ value, why: `cap reached: ${activeAuto} auto-bans active (defender.bans.maxActive = ${bans.maxActive})` }), false;
    }
    const decision: Decision = {
      scope: c.members.length > 0 || c.net.length < (c.net.family === 4 ? 32 : 128) ? 'prefix' : 'ip',
      value, action: 'ban', reason: c.reason, evidence: [...c.evidence], origin: c.origin ?? 'auto', createdAt: now, until, offence,
    };
    out.decisions.push(decision);
    for (const d of replaced) live.delete(d.value);
    out.superseded.push(...replaced);
    live.set(decision);
    activeAuto += 1 - freed;
    recent += 1;
    return true;
  };

  for (const c of aggregate(offences, live, config)) {
    if (place(c) || c.members.length === 0) continue;
    out.notes.push(`${c.net.text} was not banned as a prefix; its ${c.members.length} offending addresses are judged one by one`);
    for (const m of c.members) place({ ...m, members: [] });
  }
  return out;
}

/** The policy with the allow-list and config bound, as the daemon's tick calls it. */
export function policyFor(allow: AllowList, config: Config): (input: Omit<PolicyInput, 'allow' | 'config'>) => PolicyResult {
  return (input) => decide({ ...input, allow, config });
}
