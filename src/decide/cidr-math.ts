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

/** Parses (strictly, IPv4-mapped → IPv4) and converts; throws the input error parseCidr throws. */
export function toNet(text: string): Net {
  const cidr = parseCidr(text);
  let bits = 0n;
  for (const byte of ipaddr.parse(cidr.address).toByteArray()) bits = (bits << 8n) | BigInt(byte);
  return { family: cidr.family, bits, length: cidr.length, text: `${cidr.address}/${cidr.length}` };
}

const width = (f: Family): bigint => (f === 4 ? 32n : 128n);

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
