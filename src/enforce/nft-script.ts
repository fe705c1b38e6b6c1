// Pure text of synguard's nft transactions: the idempotent table definition and each commit's element changes.
import ipaddr from 'ipaddr.js';
import { cidrText, parseCidr, type Cidr } from '../core/address.js';
import { isHost, type Change } from './buffer.js';
import type { KernelBan } from './types.js';

export const TABLE = 'synguard';
/** Host sets (hash, no overlap rules) and prefix sets (`flags interval`, so a CIDR matches its whole prefix). */
export const SETS = { host4: 'ban4', host6: 'ban6', net4: 'net4', net6: 'net6' } as const;
/** Proven clients spared inside banned prefixes (accepted after the host bans, before the prefix bans). */
export const SPARE_SETS = { 4: 'spare4', 6: 'spare6' } as const;
/**
 * Addresses this host sent data or a FIN to (PSH or FIN set, SYN and RST clear) in the last 15 minutes, filled by the
 * kernel itself. Only a full socket sends those, and only after a completed handshake: a forged source never sees the
 * SYN-ACK, so it never gets further. A bare ACK is no proof: the kernel sends one from a half-open request socket too
 * (a second SYN from the same port with another sequence number draws it), which would let two packets forge a proof. Read when a prefix is banned (its proven clients are
 * spared), and by the SYN-rate meter (a proven source gets a far higher limit and is never dropped for its rate).
 */
export const PROVEN_SETS = { 4: 'proven4', 6: 'proven6' } as const;
export const PROVEN_WINDOW = '15m';
export const PROVEN_SIZE = 65_536;
export type SetName = (typeof SETS)[keyof typeof SETS] | (typeof SPARE_SETS)[keyof typeof SPARE_SETS];

/** The table's one prerouting base chain, shared by the meter and the bans (see baseStatements). */
const BASE_CHAIN = 'prerouting';
/** The meter's entry: every SYN jumps to it first (empty while the meter is off). */
export const SYN_CHAIN = 'synmeter';
/** The bans' rules; the base chain jumps to it after the meter, except at rest (no ban in force: no rule, no jump). */
const BAN_CHAIN = 'bans';
/** The chain a source inside a banned prefix goes to: its proven clients accepted, the rest dropped. */
const PREFIX_CHAIN = 'prefixban';

/**
 * The one prerouting base chain, at priority raw (-300): before conntrack, and needing no device name (netdev
 * ingress would need one chain per interface and a re-init whenever interfaces come and go). Each hook costs every
 * packet the chain's entry, so the meter and the bans share it (one empty base chain alone cost 2 % of a
 * `Connection: close` client's requests/s to nginx, docs/benchmarks.md): a SYN (SYN set, ACK clear) first jumps to
 * the meter, so a source it drops keeps being counted whether or not it is banned; every packet then jumps to the
 * bans. The meter and the ban backend each write it whole and own only the regular chain they jump to, so neither can
 * undo the other's rules. Only the ban backend leaves the jump to the bans out (`bans = false`), at rest, in the
 * transaction that empties them (a jump to an empty chain still cost 0.03–0.05 µs of CPU per request, a tenth of all
 * the rules' with keep-alive); every other writer puts it in, so the ban rules never go without it.
 */
export function baseStatements(bans = true): string[] {
  const t = `inet ${TABLE}`;
  return [
    `add chain ${t} ${BASE_CHAIN} { type filter hook prerouting priority raw; policy accept; }`,
    `add chain ${t} ${SYN_CHAIN}`,
    `add chain ${t} ${BAN_CHAIN}`,
    `flush chain ${t} ${BASE_CHAIN}`,
    `add rule ${t} ${BASE_CHAIN} tcp flags & (syn | ack) == syn jump ${SYN_CHAIN}`,
    ...(bans ? [`add rule ${t} ${BASE_CHAIN} jump ${BAN_CHAIN}`] : []),
  ];
}

/**
 * Before 2026-12-05 the meter had its own base chain, `synrate` at priority -301. A table left by that version would
 * meter every SYN twice (its chain also jumps to `synmeter`), so the ban backend's init and the meter's first install
 * remove it: added first, so the delete cannot fail. Not in every commit: a base chain's hook is registered and
 * unregistered each time (10–30 ms here).
 */
export function legacyStatements(): string[] {
  const t = `inet ${TABLE}`;
  return [`add chain ${t} synrate { type filter hook prerouting priority -301; policy accept; }`, `flush chain ${t} synrate`, `delete chain ${t} synrate`];
}

/**
 * The whole table, safe to apply again and again: `add` of an existing table/set/chain is a no-op, and the chains are
 * flushed and refilled in the same transaction, so rules are never doubled and never absent.
 */
export function initScript(): string {
  return [`add table inet ${TABLE}`, ...legacyStatements(), ...banStatements(), ...proofStatements(), ''].join('\n');
}

/** The ban sets and the ban chain with its rules (the table must exist). */
export function banStatements(): string[] {
  const t = `inet ${TABLE}`;
  return [
    `add set ${t} ${SETS.host4} { type ipv4_addr; flags timeout; }`,
    `add set ${t} ${SETS.host6} { type ipv6_addr; flags timeout; }`,
    `add set ${t} ${SETS.net4} { type ipv4_addr; flags interval, timeout; }`,
    `add set ${t} ${SETS.net6} { type ipv6_addr; flags interval, timeout; }`,
    `add set ${t} ${SPARE_SETS[4]} { type ipv4_addr; flags timeout; }`,
    `add set ${t} ${SPARE_SETS[6]} { type ipv6_addr; flags timeout; }`,
    ...banRules(),
  ];
}

const BAN_CHAINS = (t: string, bans: boolean) => [...baseStatements(bans), `add chain ${t} ${PREFIX_CHAIN}`, `flush chain ${t} ${BAN_CHAIN}`, `flush chain ${t} ${PREFIX_CHAIN}`];

/**
 * The ban chain's rules, written anew (its chains flushed and refilled): by init, and by every commit, in the same
 * transaction as its elements, so no ban is ever in a set that no rule reads. The sets must exist.
 */
export function banRules(): string[] {
  const t = `inet ${TABLE}`;
  return [
    ...BAN_CHAINS(t, true),
    // Host bans first: nothing spares a banned address. A source inside a banned prefix goes on to the spared clients,
    // so a packet from anywhere else pays two lookups, not three.
    `add rule ${t} ${BAN_CHAIN} ip saddr @${SETS.host4} counter drop`,
    `add rule ${t} ${BAN_CHAIN} ip6 saddr @${SETS.host6} counter drop`,
    `add rule ${t} ${BAN_CHAIN} ip saddr @${SETS.net4} goto ${PREFIX_CHAIN}`,
    `add rule ${t} ${BAN_CHAIN} ip6 saddr @${SETS.net6} goto ${PREFIX_CHAIN}`,
    `add rule ${t} ${PREFIX_CHAIN} ip saddr @${SPARE_SETS[4]} counter accept`,
    `add rule ${t} ${PREFIX_CHAIN} ip6 saddr @${SPARE_SETS[6]} counter accept`,
    `add rule ${t} ${PREFIX_CHAIN} counter drop`,
  ];
}

/**
 * The ban chain without rules, and the base chain without its jump to it, for when no ban is in the kernel: then no
 * packet pays its lookups (about 3 % of a `Connection: close` client's requests/s to nginx in the lab,
 * docs/benchmarks.md). The next commit writes them back.
 */
export function restScript(): string {
  return [`add table inet ${TABLE}`, ...BAN_CHAINS(`inet ${TABLE}`, false), ''].join('\n');
}

const PROVE_CHAIN = 'prove';

/**
 * The proof of completed handshakes: the proven sets and the output rule that fills them. `add` (not `update`) costs a
 * lookup per outgoing packet once an address is in, and never writes; an address is proven again when it expires.
 * Every packet this host sends passes here, so the one rule tests only what most packets fail on: no PSH and no FIN
 * (a bare ACK, a SYN-ACK) leaves after one test of the flags. `oif` compares the interface index, which for lo is 1
 * in every namespace; `oifname` would copy and compare the name.
 */
export function proofStatements(): string[] {
  const t = `inet ${TABLE}`;
  return [
    `add set ${t} ${PROVEN_SETS[4]} { type ipv4_addr; flags dynamic, timeout; size ${PROVEN_SIZE}; timeout ${PROVEN_WINDOW}; }`,
    `add set ${t} ${PROVEN_SETS[6]} { type ipv6_addr; flags dynamic, timeout; size ${PROVEN_SIZE}; timeout ${PROVEN_WINDOW}; }`,
    `add chain ${t} output { type filter hook output priority filter; policy accept; }`,
    `add chain ${t} ${PROVE_CHAIN}`,
    `flush chain ${t} output`,
    `flush chain ${t} ${PROVE_CHAIN}`,
    `add rule ${t} output tcp flags & (fin | psh) != 0 tcp flags & (syn | rst) == 0 oif != "lo" goto ${PROVE_CHAIN}`,
    `add rule ${t} ${PROVE_CHAIN} meta nfproto ipv4 add @${PROVEN_SETS[4]} { ip daddr } return`,
    `add rule ${t} ${PROVE_CHAIN} meta nfproto ipv6 add @${PROVEN_SETS[6]} { ip6 daddr }`,
  ];
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
 * An element `absent` says is certainly not in the kernel skips the guard: its add alone is a third of the work (100k
 * new bans: 0.4 s against 1.1 s for nft 1.0.6, docs/benchmarks.md, issue 11).
 */
export function hostStatements(
  changes: readonly Change[], now: number, sets: Readonly<Record<4 | 6, SetName>> = { 4: SETS.host4, 6: SETS.host6 },
  absent: (value: string) => boolean = () => false,
): string[] {
  const out: string[] = [];
  for (const family of [4, 6] as const) {
    const set = sets[family];
    const mine = changes.filter((c) => c.cidr.family === family && isHost(c.cidr));
    const touched = mine.filter((c) => !absent(c.value)).map((c) => c.cidr.address);
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
  readonly start: bigint;
  readonly end: bigint;
  readonly touched: boolean;
  readonly inKernel: boolean;
}

/** First and last address of a CIDR as numbers (IPv6 needs bigint); family is kept apart by an offset. */
function range(cidr: Cidr): { start: bigint; end: bigint } {
  const bytes = ipaddr.parse(cidr.address).toByteArray();
  let start = 0n;
  for (const b of bytes) start = (start << 8n) | BigInt(b);
  const bits = BigInt(bytes.length * 8);
  const offset = cidr.family === 6 ? 1n << 129n : 0n;
  return { start: start + offset, end: start + offset + (1n << (bits - BigInt(cidr.length))) - 1n };
}

function entry(cidr: Cidr, until: number | null, touched: boolean, inKernel: boolean): Entry {
  return { cidr, until, touched, inKernel, ...range(cidr) };
}

/**
 * Prefix set plan against what the kernel holds. Interval sets refuse overlapping elements, so overlapping prefixes
 * merge into the widest of them, lasting as long as the longest (a new ban for the same value replaces the old one).
 * CIDRs either nest or are disjoint, so one sort by range start groups every nest: O(n log n) for 100k prefixes.
 */
export interface NetPlan {
  readonly deletes: Cidr[];
  readonly adds: { cidr: Cidr; until: number }[];
  /** Kernel elements the plan leaves as they are (needed when the whole set is rewritten). */
  readonly kept: { cidr: Cidr; until: number | null }[];
}

export function netPlan(existing: readonly KernelBan[], changes: readonly Change[], now: number): NetPlan {
  const pool = new Map<string, Entry>();
  for (const k of existing) {
    const cidr = parseCidr(k.value);
    if (!isHost(cidr)) pool.set(cidrText(cidr), entry(cidr, k.until, false, true));
  }
  const deletes = new Map<string, Cidr>();
  for (const c of changes) {
    if (isHost(c.cidr)) continue;
    const old = pool.get(c.value);
    if (old?.inKernel) deletes.set(c.value, old.cidr);
    if (c.until === null || c.until <= now) pool.delete(c.value);
    else pool.set(c.value, entry(c.cidr, c.until, true, false));
  }
  const sorted = [...pool.values()].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.cidr.length - b.cidr.length));
  const adds: { cidr: Cidr; until: number }[] = [];
  const kept: { cidr: Cidr; until: number | null }[] = [];
  for (let i = 0; i < sorted.length; ) {
    const head = sorted[i]!;
    let j = i + 1;
    while (j < sorted.length && sorted[j]!.start <= head.end) j++;
    const group = sorted.slice(i, j);
    i = j;
    if (!group.some((e) => e.touched)) {
      kept.push(...group.map((e) => ({ cidr: e.cidr, until: e.until })));
      continue;
    }
    let until = 0;
    for (const e of group) {
      until = Math.max(until, e.until ?? 0);
      if (e.inKernel) deletes.set(cidrText(e.cidr), e.cidr);
    }
    adds.push({ cidr: head.cidr, until });
  }
  return { deletes: [...deletes.values()], adds, kept };
}

/**
 * Deleting from an interval set costs nft 1.0.6 about 1 ms per element per 4k elements held (8k re-added prefixes took
 * 83 s), while flushing the set and adding everything back takes 0.2 s. Beyond this many deletes in one family, the
 * set is rewritten in the same transaction instead; kept elements then get their remaining time as listed (nft -j
 * gives whole seconds, so they may lose up to a second).
 */
export const REWRITE_AT = 256;

/** Statements for a prefix plan; deletes use the same bare-add guard as hosts, in case an element expired meanwhile. */
export function netStatements(plan: NetPlan, now: number): string[] {
  const out: string[] = [];
  const timed = (items: readonly { cidr: Cidr; until: number | null }[]): string[] =>
    items.flatMap((a) => {
      const t = a.until === null ? null : timeoutText(a.until, now);
      return t === null ? [] : [`${cidrText(a.cidr)} timeout ${t}`];
    });
  for (const family of [4, 6] as const) {
    const set = family === 4 ? SETS.net4 : SETS.net6;
    const dels = plan.deletes.filter((c) => c.family === family).map(cidrText);
    const adds = timed(plan.adds.filter((a) => a.cidr.family === family));
    if (dels.length > REWRITE_AT) {
      const kept = timed(plan.kept.filter((k) => k.cidr.family === family));
      out.push(`flush set inet ${TABLE} ${set}`, ...elements('add', set, [...kept, ...adds]));
    } else {
      out.push(...elements('add', set, dels), ...elements('delete', set, dels), ...elements('add', set, adds));
    }
  }
  return out;
}
