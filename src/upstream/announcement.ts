// What synguard asks the provider for: a FlowSpec rule or an RTBH route for one attacked address, its identity on the
// wire, the own-networks guard, and the ExaBGP text-API command that announces or withdraws it. Pure.
import { normalizeAddress } from '../core/address.js';
import { contains, toNet } from '../decide/cidr-math.js';
import type { AnnouncementSpec } from '../core/announcement.js';

export { KINDS, type AnnouncementKind, type AnnouncementSpec } from '../core/announcement.js';

/** The host prefix of an address: 198.51.100.7/32, 2001:db8::7/128; null when it is not an address. */
export function hostPrefix(address: string): string | null {
  const norm = normalizeAddress(address);
  if (norm === null) return null;
  return `${norm}/${norm.includes(':') ? 128 : 32}`;
}

/**
 * The NLRI an announcement occupies on the wire. Rate-limit and discard of the same address and port are one FlowSpec
 * NLRI with two different actions: announcing one replaces the other, and withdrawing either removes both.
 */
export function wireKey(a: Pick<AnnouncementSpec, 'kind' | 'prefix' | 'port'>): string {
  return a.kind === 'rtbh' ? `rtbh ${a.prefix}` : `flow ${a.prefix} ${a.port ?? 'any'}`;
}

/** Whether the whole prefix lies inside one of the own networks. Anything unparsable is outside. */
export function insideOwnNetworks(prefix: string, ownNetworks: readonly string[]): boolean {
  try {
    const net = toNet(prefix);
    return ownNetworks.some((own) => contains(toNet(own), net));
  } catch {
    return false;
  }
}

export interface NextHops {
  readonly ipv4: string | null;
  readonly ipv6: string | null;
}

function match(a: AnnouncementSpec): string {
  const v6 = a.prefix.includes(':');
  const parts = [`destination ${a.prefix};`];
  if (a.port !== null) parts.push(`destination-port =${a.port};`);
  parts.push(v6 ? 'next-header =tcp;' : 'protocol =tcp;', 'tcp-flags [ syn ];');
  return `match { ${parts.join(' ')} }`;
}

/** The ExaBGP 4.2 text-API line that announces or withdraws `a`; throws when RTBH has no next hop of its family. */
export function exabgpCommand(op: 'announce' | 'withdraw', a: AnnouncementSpec, nextHops: NextHops, community = '65535:666'): string {
  if (a.kind === 'rtbh') {
    const hop = a.prefix.includes(':') ? nextHops.ipv6 : nextHops.ipv4;
    if (hop === null) throw new Error(`no ${a.prefix.includes(':') ? 'IPv6' : 'IPv4'} next hop for RTBH of ${a.prefix} (upstream.bgp.nextHop${a.prefix.includes(':') ? 6 : 4})`);
    return op === 'announce'
      ? `announce route ${a.prefix} next-hop ${hop} community [${community}]`
      : `withdraw route ${a.prefix} next-hop ${hop}`;
  }
  if (op === 'withdraw') return `withdraw flow route { ${match(a)} }`;
  const then = a.kind === 'flowspec-discard' ? 'discard;' : `rate-limit ${a.bytesPerSecond ?? 0};`;
  return `announce flow route { ${match(a)} then { ${then} } }`;
}
