// Why an address is banned: the decision in force on it (or on a prefix covering it) and its earlier offences.
import { contains, toNet } from '../decide/cidr-math.js';
import type { AllowEntry } from '../decide/index.js';
import type { DecisionRecord } from '../store/index.js';
import { iso, left } from './when.js';

export interface Explanation {
  /** The address or CIDR asked about, canonical. */
  readonly target: string;
  /** The active decision covering the target, the most specific first; null when it is not banned. */
  readonly inForce: DecisionRecord | null;
  /** Every other decision that covered it, newest first. */
  readonly earlier: readonly DecisionRecord[];
  /** The allow-list entry it overlaps, as the daemon would build the list now: never banned. */
  readonly allowed: AllowEntry | null;
}

/** Whether a decision's CIDR covers `target` (the same CIDR, or a prefix containing it). */
export function covers(decision: { value: string }, target: string): boolean {
  return contains(toNet(decision.value), toNet(target));
}

/** Pure: `decisions` is the store's history (any order), `now` decides what is in force. Throws on a bad target. */
export function explain(targetText: string, decisions: readonly DecisionRecord[], now: number, allowed: AllowEntry | null = null): Explanation {
  const target = toNet(targetText).text;
  const covering = decisions.filter((d) => covers(d, target)).sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
  const active = covering.filter((d) => d.endedAt === null && d.until > now && !d.dryRun);
  const inForce = active.sort((a, b) => toNet(b.value).length - toNet(a.value).length)[0] ?? null;
  return { target, inForce, earlier: covering.filter((d) => d !== inForce), allowed };
}

/** A decision as JSON: times as ISO text, how it ended. */
export function decisionJson(d: DecisionRecord) {
  return {
    value: d.value, scope: d.scope, reason: d.reason, origin: d.origin, offence: d.offence, evidence: d.evidence,
    createdAt: iso(d.createdAt), until: iso(d.until),
    endedAt: d.endedAt === null ? null : iso(d.endedAt), endedBy: d.endedBy, endKind: d.endKind, dryRun: d.dryRun,
  };
}

export function explanationJson(e: Explanation, now: number) {
  return {
    target: e.target,
    banned: e.inForce !== null,
    inForce: e.inForce && { ...decisionJson(e.inForce), secondsLeft: Math.max(0, Math.round((e.inForce.until - now) / 1000)) },
    earlier: e.earlier.map(decisionJson),
    allowListed: e.allowed && { value: e.allowed.value, source: e.allowed.source },
  };
}

function pastLine(d: DecisionRecord): string {
  const end = d.endedAt !== null ? `ended ${iso(d.endedAt)} by ${d.endedBy ?? '?'}` : `ran until ${iso(d.until)}`;
  return `  ${iso(d.createdAt)}  ${d.value} (${d.origin}, offence ${d.offence}${d.dryRun ? ', dry run: not enforced' : ''}) ${end}: ${d.reason}\n`;
}

/** The text `bans show` prints. */
export function renderExplanation(e: Explanation, now: number): string {
  let out = '';
  const d = e.inForce;
  if (d === null) {
    out += `${e.target} is not banned\n`;
  } else {
    const via = d.value === e.target ? '' : ` (covered by the ${d.scope} ban on ${d.value})`;
    out += `${e.target} is banned${via}\n`;
    out += `  origin:   ${d.origin}, offence ${d.offence}\n`;
    out += `  reason:   ${d.reason}\n`;
    out += d.evidence.map((line, i) => `  ${i === 0 ? 'evidence:' : '         '} ${line}\n`).join('');
    out += `  since:    ${iso(d.createdAt)}\n`;
    out += `  ends:     ${iso(d.until)} (in ${left(d.until, now)})\n`;
  }
  if (e.allowed) out += `on the allow-list (${e.allowed.source}: ${e.allowed.value}): synguard never bans it\n`;
  out += e.earlier.length === 0 ? 'no earlier offences\n' : `earlier offences (${e.earlier.length}):\n${e.earlier.map(pastLine).join('')}`;
  return out;
}
