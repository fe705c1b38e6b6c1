// Pure text of the kernel's first line: the SYN-rate meter chain of `table inet synguard` (docs/enforce.md).
import ipaddr from 'ipaddr.js';
import { cidrText, parseCidr } from '../core/address.js';
import { SynguardError } from '../core/errors.js';
import { PROVEN_SETS, SYN_CHAIN, TABLE, baseStatements, legacyStatements, proofStatements } from './nft-script.js';

export interface MeterOptions {
  /** SYNs per second (and burst) one unproven source may send before the kernel drops it. */
  readonly perSource: number;
  readonly burst: number;
  /** The same for the unproven sources of one prefix together. */
  readonly perPrefix: number;
  readonly prefixBurst: number;
  /** SYNs per second a proven source may send while `capProven`; only the excess is dropped, never a drop set. */
  readonly proven: number;
  /**
   * Whether the proven limit is in force: only while an attack is on (the daemon re-installs the meter when one starts
   * and ends). When calm, a proven source is counted (busy sets) and never slowed.
   */
  readonly capProven: boolean;
  /** How long a kernel-made drop lasts unless the daemon acts (ms). */
  readonly holdMs: number;
  /** Elements per set and family. */
  readonly size: number;
  /** Prefix lengths of the prefix meter (config `prefixes`). */
  readonly prefixes: { readonly ipv4: number; readonly ipv6: number };
  /** Count only: the rules record who they would drop and drop nothing (dry-run). */
  readonly countOnly?: boolean;
}

/** Sets the daemon reads each tick: small, holding only sources over their rate. */
export const METER_SETS = {
  host: { 4: 'meter4', 6: 'meter6' },
  prefix: { 4: 'pmeter4', 6: 'pmeter6' },
  busy: { 4: 'busy4', 6: 'busy6' },
} as const;
/** Never metered: the allow-list (loopback, own addresses, gateways, SSH peers, configured CIDRs). */
export const ALLOW_SETS = { 4: 'allow4', 6: 'allow6' } as const;
/** Per-source token buckets; elements leave after 1 s without a SYN, so a spoofed flood cannot fill them below size/s. */
const RATE_SETS = { host: { 4: 'rate4', 6: 'rate6' }, prefix: { 4: 'prate4', 6: 'prate6' }, busy: { 4: 'brate4', 6: 'brate6' }, fast: { 4: 'fast4', 6: 'fast6' } } as const;
const PROVEN_CHAIN = 'synproven';
/** A proven source over perSource is listed in busy4/6 this long (for `status`), never dropped for it. */
const BUSY_S = 10;

function positive(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new SynguardError('input', `meter ${name} must be a positive integer, got ${String(v)}`);
  return v;
}

/** The netmask of a prefix length, as nft writes it: 24 → 255.255.255.0, 64 → ffff:ffff:ffff:ffff::. */
export function maskText(family: 4 | 6, length: number): string {
  return (family === 4 ? ipaddr.IPv4 : ipaddr.IPv6).subnetMaskFromPrefixLength(length).toString();
}

/** The meter's table, sets and chains, created if absent (an existing set with the same flags keeps its elements). */
function meterObjects(size: number): string[] {
  const t = `inet ${TABLE}`;
  const lines = [`add table ${t}`];
  const set = (name: string, type: string, extra: string) => lines.push(`add set ${t} ${name} { type ${type}; ${extra} }`);
  for (const f of [4, 6] as const) {
    const type = f === 4 ? 'ipv4_addr' : 'ipv6_addr';
    set(ALLOW_SETS[f], type, 'flags interval; auto-merge;');
    for (const s of Object.values(METER_SETS)) set(s[f], type, `flags dynamic, timeout; size ${size}; counter;`);
    for (const s of Object.values(RATE_SETS)) set(s[f], type, `flags dynamic, timeout; timeout 1s; size ${size};`);
  }
  // With the jump to the bans: only the ban backend's rest may take it out (a re-install at rest puts it back, to an
  // empty chain, until the next rest).
  lines.push(...baseStatements(), `add chain ${t} ${PROVEN_CHAIN}`);
  return lines;
}

/**
 * The meter as one idempotent transaction. The table's prerouting base chain (priority raw, before conntrack: nothing
 * here creates a conntrack entry) sends each SYN (SYN set, ACK clear) here before the bans, so a source the meter
 * drops keeps counting, banned or not, for as long as it floods; any other packet pays one test of its flags. Per
 * family (a packet of the other family fails each rule at its first test), per SYN: allow-listed → back to the base
 * chain; kernel-dropped source → drop; proven source → counted, and under attack held to its own, far higher limit
 * (excess dropped, never a drop set); kernel-dropped prefix → drop; then a SYN over the source's or the prefix's rate
 * puts it in a drop set with a `hold` timeout, and is dropped. A kernel-made drop thus refuses new connections and
 * leaves the source's open ones alone: cutting those is a ban's work (the ban chain drops every packet, and the daemon
 * kills the sockets). Every drop set counts the SYNs per element, which is how the daemon reads each source's rate
 * without listing the large bucket sets.
 */
export function meterScript(o: MeterOptions): string {
  const t = `inet ${TABLE}`;
  const size = positive('size', o.size);
  const hold = `${Math.max(1, Math.ceil(positive('holdMs', o.holdMs) / 1000))}s`;
  // Count-only returns where it would drop: the packet goes on (to the bans, then TCP) exactly where a drop would have
  // stopped it, so what is counted and what is flagged downstream is what the real meter would see.
  const drop = o.countOnly ? ' return' : ' drop';
  // The proven buckets are emptied too: an element keeps the limit it was made with for as long as its source sends.
  const fast = [RATE_SETS.fast[4], RATE_SETS.fast[6]].map((set) => `flush set ${t} ${set}`);
  const chains = [SYN_CHAIN, PROVEN_CHAIN].map((c) => `flush chain ${t} ${c}`);
  const lines = [...meterObjects(size), ...proofStatements(), ...chains, ...fast];
  const rule = (chain: string, text: string) => lines.push(`add rule ${t} ${chain} ${text}`);
  const burst = positive('burst', o.burst), prefixBurst = positive('prefixBurst', o.prefixBurst), proven = positive('proven', o.proven);
  const perSource = positive('perSource', o.perSource), perPrefix = positive('perPrefix', o.perPrefix);
  const limit = (rate: number, b: number) => `limit rate over ${rate}/second burst ${b} packets`;
  const families = [[4, 'ip', maskText(4, o.prefixes.ipv4)], [6, 'ip6', maskText(6, o.prefixes.ipv6)]] as const;
  for (const [f, ip, mask] of families) {
    const nf = `meta nfproto ipv${f}`;
    rule(SYN_CHAIN, `${ip} saddr @${ALLOW_SETS[f]} return`);
    rule(SYN_CHAIN, `${ip} saddr @${METER_SETS.host[f]}${drop}`);
    rule(SYN_CHAIN, `${ip} saddr @${PROVEN_SETS[f]} goto ${PROVEN_CHAIN}`);
    rule(SYN_CHAIN, `${ip} saddr and ${mask} @${METER_SETS.prefix[f]}${drop}`);
    rule(SYN_CHAIN, `${nf} update @${RATE_SETS.host[f]} { ${ip} saddr ${limit(perSource, burst)} } add @${METER_SETS.host[f]} { ${ip} saddr timeout ${hold} }${drop}`);
    rule(SYN_CHAIN, `${nf} update @${RATE_SETS.prefix[f]} { ${ip} saddr and ${mask} ${limit(perPrefix, prefixBurst)} } add @${METER_SETS.prefix[f]} { ${ip} saddr and ${mask} timeout ${hold} }${drop}`);
    // Proven sources: listed while over perSource (counted per element by the lookup), only their excess over `proven`
    // dropped. When calm, a source already listed goes back at its count: its bucket would change nothing (the
    // listing lasts BUSY_S, then one bucket's burst of SYNs passes uncounted before it is listed again).
    rule(PROVEN_CHAIN, `${ip} saddr @${METER_SETS.busy[f]}${o.capProven ? '' : ' return'}`);
    rule(PROVEN_CHAIN, `${nf} update @${RATE_SETS.busy[f]} { ${ip} saddr ${limit(perSource, burst)} } add @${METER_SETS.busy[f]} { ${ip} saddr timeout ${BUSY_S}s }`);
    if (o.capProven) rule(PROVEN_CHAIN, `${nf} update @${RATE_SETS.fast[f]} { ${ip} saddr ${limit(proven, 2 * proven)} }${drop}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Replaces the kernel's allow sets with these CIDRs (one transaction with whatever else it is applied with). */
export function allowStatements(allow: readonly string[]): string[] {
  const t = `inet ${TABLE}`;
  const out: string[] = [];
  const cidrs = allow.map(parseCidr);
  for (const f of [4, 6] as const) {
    out.push(`flush set ${t} ${ALLOW_SETS[f]}`);
    const mine = cidrs.filter((c) => c.family === f).map(cidrText);
    if (mine.length > 0) out.push(`add element ${t} ${ALLOW_SETS[f]} { ${mine.join(', ')} }`);
  }
  return out;
}

/** Lifts kernel-made drops (values as CIDR text: hosts /32 /128, prefixes at the meter's lengths). */
export function liftStatements(values: readonly string[], prefixes: MeterOptions['prefixes']): string[] {
  const t = `inet ${TABLE}`;
  const out: string[] = [];
  for (const v of values) {
    const c = parseCidr(v);
    const host = c.length === (c.family === 4 ? 32 : 128);
    if (!host && c.length !== (c.family === 4 ? prefixes.ipv4 : prefixes.ipv6)) continue;
    const set = (host ? METER_SETS.host : METER_SETS.prefix)[c.family];
    // The bare add makes the delete safe when the element expired meanwhile.
    out.push(`add element ${t} ${set} { ${c.address} }`, `delete element ${t} ${set} { ${c.address} }`);
  }
  return out;
}

/**
 * Removes the meter's rules and sets, leaving the bans alone: its entry chain stays, empty, since the base chain jumps
 * to it. Everything is created first if absent, so the deletes cannot fail.
 */
export function removeMeterScript(size: number): string {
  const t = `inet ${TABLE}`;
  const sets = [ALLOW_SETS, ...Object.values(METER_SETS), ...Object.values(RATE_SETS)].flatMap((s) => [s[4], s[6]]);
  const chains = [`flush chain ${t} ${SYN_CHAIN}`, `delete chain ${t} ${PROVEN_CHAIN}`]; // the jumps to it go first
  return [...meterObjects(size), ...legacyStatements(), ...chains, ...sets.map((s) => `delete set ${t} ${s}`), ''].join('\n');
}
