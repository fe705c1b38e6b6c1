// Pure text of synguard's nft transactions: the idempotent table definition and each commit's element changes.
import { cidrContains, cidrText, parseCidr, type Cidr } from '../core/address.js';
import { isHost, type Change } from './buffer.js';
import type { KernelBan } from './types.js';

export const TABLE = 'synguard';
/** Host sets (hash, no overlap rules) and prefix sets (`flags interval`, so a CIDR matches its whole prefix). */
export const SETS = { host4: 'ban4', host6: 'ban6', net4: 'net4', net6: 'net6' } as const;
export type SetName = (typeof SETS)[keyof typeof SETS];

/**
 * The whole table, safe to apply again and again: `add` of an existing table/set/chain is a no-op, and the chain is
 * flushed and refilled in the same transaction, so rules are never doubled and never absent.
 * Hook: prerouting at priority raw (-300) runs before conntrack and needs no device name; netdev ingress would need
 * one chain per interface and a re-init whenever interfaces come and go, for little gain at our rates.
 */
export function initScript(): string {
  const t = `inet ${TABLE}`;
  return [
    `add table ${t}`,
    `add set ${t} ${SETS.host4} { type ipv4_addr; flags timeout; }`,
    `add set ${t} ${SETS.host6} { type ipv6_addr; flags timeout; }`,
    `add set ${t} ${SETS.net4} { type ipv4_addr; flags interval, timeout; }`,
    `add set ${t} ${SETS.net6} { type ipv6_addr; flags interval, timeout; }`,
    `add chain ${t} prerouting { type filter hook prerouting priority raw; policy accept; }`,
    `flush chain ${t} prerouting`,
    `add rule ${t} prerouting ip saddr @${SETS.host4} counter drop`,
    `add rule ${t} prerouting ip saddr @${SETS.net4} counter drop`,
    `add rule ${t} prerouting ip6 saddr @${SETS.host6} counter drop`,
    `add rule ${t} prerouting ip6 saddr @${SETS.net6} counter drop`,
    '',
  ].join('\n');
}

/** Kernel timeout text for a ban ending at `until`; null when it has already ended. */
export function timeoutText(until: number, now: number): string | null {
  const ms = Math.round(Math.min(until - now, MAX_TIMEOUT_MS));
  return ms > 0 ? `${ms}ms` : null;
}

/**
 * Timeouts are capped at ten years: the kernel rejects ones beyond about 213,000 days with ERANGE, and one such element
 * would fail every commit (the buffer is kept and retried) and block all other bans.
 */
export const MAX_TIMEOUT_MS = 3650 * 86_400_000;

function elements(verb: 'add' | 'delete', set: SetName, items: readonly string[]): string[] {
  return items.length === 0 ? [] : [`${verb} element inet ${TABLE} ${set} { ${items.join(', ')} }`];
}

/**
 * Host set statements. Every touched element is first added bare, then deleted, then (for bans) added with its new
 * timeout: the bare add makes the delete safe when the element is absent (nft fails a delete of a missing element),
 * and delete-then-add sets the new timeout whatever the kernel does with a re-add. No read of the set is needed.
 */
export function hostStatements(changes: readonly Change[], now: number): string[] {
  const out: string[] = [];
  for (const family of [4, 6] as const) {
    const set = family === 4 ? SETS.host4 : SETS.host6;
    const mine = changes.filter((c) => c.cidr.family === family && isHost(c.cidr));
    const touched = mine.map((c) => c.cidr.address);
    const adds: string[] = [];
    for (const c of mine) {
      const t = c.until === null ? null : timeoutText(c.until, now);
      if (t !== null) adds.push(`${c.cidr.address} timeout ${t}`);
    }
    out.push(...elements('add', set, touched), ...elements('delete', set, touched), ...elements('add', set, adds));
  }
  return out;
}

interface Entry {
  readonly cidr: Cidr;
  readonly until: number | null;
}

function overlaps(a: Cidr, b: Cidr): boolean {
  if (a.family !== b.family) return false;
  return a.length <= b.length ? cidrContains(a, b.address) : cidrContains(b, a.address);
}

/**
 * Prefix set plan against what the kernel holds. Interval sets refuse overlapping elements, so overlapping prefixes
 * merge into the widest of them, lasting as long as the longest (a new ban for the same value replaces the old one).
 */
export function netPlan(existing: readonly KernelBan[], changes: readonly Change[], now: number): { deletes: Cidr[]; adds: { cidr: Cidr; until: number }[] } {
  const kernel = new Map<string, Entry>();
  for (const k of existing) {
    const cidr = parseCidr(k.value);
    if (!isHost(cidr)) kernel.set(cidrText(cidr), { cidr, until: k.until });
  }
  const working = new Map(kernel);
  const touched = new Set<string>();
  for (const c of changes) {
    if (isHost(c.cidr)) continue;
    if (c.until === null || c.until <= now) {
      working.delete(c.value);
      continue;
    }
    let target = c.cidr;
    let until = c.until;
    for (;;) {
      const hits = [...working].filter(([, e]) => overlaps(e.cidr, target));
      if (hits.length === 0) break;
      for (const [v, e] of hits) {
        working.delete(v);
        if (v === cidrText(target) && v === c.value) continue; // same value: the new ban replaces the old
        if (e.cidr.length < target.length) target = e.cidr;
        if (e.until !== null) until = Math.max(until, e.until);
      }
    }
    const value = cidrText(target);
    working.set(value, { cidr: target, until });
    touched.add(value);
  }
  const deletes = [...kernel].filter(([v]) => !working.has(v) || touched.has(v)).map(([, e]) => e.cidr);
  const adds = [...touched].flatMap((v) => {
    const e = working.get(v);
    return e && e.until !== null ? [{ cidr: e.cidr, until: e.until }] : [];
  });
  return { deletes, adds };
}

/** Statements for a prefix plan; deletes use the same bare-add guard as hosts, in case an element expired meanwhile. */
export function netStatements(plan: ReturnType<typeof netPlan>, now: number): string[] {
  const out: string[] = [];
  for (const family of [4, 6] as const) {
    const set = family === 4 ? SETS.net4 : SETS.net6;
    const dels = plan.deletes.filter((c) => c.family === family).map(cidrText);
    const adds: string[] = [];
    for (const a of plan.adds) {
      const t = a.cidr.family === family ? timeoutText(a.until, now) : null;
      if (t !== null) adds.push(`${cidrText(a.cidr)} timeout ${t}`);
    }
    out.push(...elements('add', set, dels), ...elements('delete', set, dels), ...elements('add', set, adds));
  }
  return out;
}
