// Exact CIDR arithmetic on bigints: overlap and containment between canonical CIDRs of the same family.
import ipaddr from 'ipaddr.js';
import { parseCidr, type Family } from '../core/address.js';

/** A CIDR as a number: the network address's bits, its length and family. */
export interface Net {
  readonly family: Family;
  readonly bits: bigint;
  readonly length: number;
  /** Canonical text: `203.0.113.0/24`. */
  readonly text: string;
}

// Active decisions are parsed on every tick; their values repeat, so parses are remembered (bounded).
const memo = new Map<string, Net>();
const MEMO_MAX = 500_000;

/** Parses (strictly, IPv4-mapped → IPv4) and converts; throws the input error parseCidr throws. */
export function toNet(text: string): Net {
  const known = memo.get(text);
  if (known) return known;
  const cidr = parseCidr(text);
  let bits = 0n;
  for (const byte of ipaddr.parse(cidr.address).toByteArray()) bits = (bits << 8n) | BigInt(byte);
  const net: Net = { family: cidr.family, bits, length: cidr.length, text: `${cidr.address}/${cidr.length}` };
  if (memo.size >= MEMO_MAX) memo.clear();
  memo.set(text, net);
  return net;
}

const width = (f: Family): bigint => (f === 4 ? 32n : 128n);

/** A map key for the `length`-bit prefix of `net` (length ≤ net.length): equal keys, same prefix. */
export function prefixKey(net: Net, length: number): string {
  return `${net.family}/${length}/${(net.bits >> (width(net.family) - BigInt(length))).toString(16)}`;
}

/** Whether two CIDRs share at least one address (one contains the other). */
export function overlaps(a: Net, b: Net): boolean {
  if (a.family !== b.family) return false;
  const shift = width(a.family) - BigInt(Math.min(a.length, b.length));
  return a.bits >> shift === b.bits >> shift;
}

/** Whether `outer` contains every address of `inner`. */
export function contains(outer: Net, inner: Net): boolean {
  return outer.length <= inner.length && overlaps(outer, inner);
}
