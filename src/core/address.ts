// Addresses and prefixes: parsing user input, IPv4-mapped normalisation, and the compact forms the hot path uses.
import ipaddr from 'ipaddr.js';
import { SynguardError } from './errors.js';

export type Family = 4 | 6;

/** A parsed address or CIDR, IPv4-mapped IPv6 already turned into IPv4. */
export interface Cidr {
  readonly family: Family;
  readonly address: string; // canonical text of the network address
  readonly length: number;
}

function toAddr(text: string): ipaddr.IPv4 | ipaddr.IPv6 {
  const parsed = ipaddr.parse(text);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    return (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed;
}

/** Canonical text of one address; `::ffff:a.b.c.d` becomes `a.b.c.d`. Returns null when it is not an address. */
export function normalizeAddress(text: string): string | null {
  const bare = text.trim().replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!ipaddr.isValid(bare)) return null;
  // ipaddr.js accepts odd IPv4 forms ("1", "0x7f.1"); only dotted quads are addresses here.
  if (!bare.includes(':') && !ipaddr.IPv4.isValidFourPartDecimal(bare)) return null;
  return toAddr(bare).toString();
}

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
/** An IPv4 host already in canonical form (no leading zeros), as stores and kernels hand them back by the 100,000. */
const CANONICAL_V4_HOST = new RegExp(`^${OCTET}(\\.${OCTET}){3}(/32)?$`);

/** Parses `ADDR` or `ADDR/LEN` strictly, or throws an input error with an example of a correct value. */
export function parseCidr(text: string): Cidr {
  if (CANONICAL_V4_HOST.test(text)) return { family: 4, address: text.endsWith('/32') ? text.slice(0, -3) : text, length: 32 };
  const [addrText = '', lenText, extra] = text.trim().split('/');
  const address = normalizeAddress(addrText);
  const example = 'e.g. 198.51.100.7, 203.0.113.0/24 or 2001:db8::/64';
  if (address === null || extra !== undefined) {
    throw new SynguardError('input', `"${text}" is not an IP address or CIDR (${example})`);
  }
  const mapped = addrText.includes(':') && !address.includes(':');
  const family: Family = address.includes(':') ? 6 : 4;
  const max = family === 4 ? 32 : 128;
  let length = max;
  if (lenText !== undefined) {
    if (!/^\d{1,3}$/.test(lenText)) throw new SynguardError('input', `"${text}" has a bad prefix length (${example})`);
    length = Number(lenText) - (mapped ? 96 : 0);
    if (length < 0 || length > max) {
      throw new SynguardError('input', `"${text}": prefix length must be 0-${max} for IPv${family} (${example})`);
    }
  }
  return { family, address: networkOf(address, length), length };
}

/** The network address of ADDR/LEN, as text. */
export function networkOf(address: string, length: number): string {
  const addr = toAddr(address);
  const bytes = addr.toByteArray();
  for (let bit = length; bit < bytes.length * 8; bit++) {
    const i = bit >> 3;
    bytes[i] = (bytes[i] ?? 0) & ~(0x80 >> (bit & 7));
  }
  return ipaddr.fromByteArray(bytes).toString();
}

/** The prefix an address belongs to, in CIDR text: `198.18.5.0/24`, `2001:db8:1:2::/64`. */
export function prefixOf(address: string, v4Length: number, v6Length: number): string {
  const length = address.includes(':') ? v6Length : v4Length;
  return `${networkOf(address, length)}/${length}`;
}

export function cidrText(cidr: Cidr): string {
  return `${cidr.address}/${cidr.length}`;
}

/** Whether an address (text) lies inside a CIDR. */
export function cidrContains(cidr: Cidr, address: string): boolean {
  const norm = normalizeAddress(address);
  if (norm === null) return false;
  const addr = ipaddr.parse(norm);
  if ((addr.kind() === 'ipv4') !== (cidr.family === 4)) return false;
  return addr.match(ipaddr.parse(cidr.address), cidr.length);
}

/** Dotted text of an IPv4 address held as a 32-bit number (signed or unsigned) in network order. */
export function formatV4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** Compressed text of an IPv6 address held as 32 hex digits in network order. */
export function formatV6(hex: string): string {
  const parts: number[] = [];
  for (let i = 0; i < 32; i += 4) parts.push(parseInt(hex.slice(i, i + 4), 16));
  return new ipaddr.IPv6(parts).toString();
}
