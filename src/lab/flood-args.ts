// Pure building blocks of a SYN flood: packet budget, hping3 arguments, the nft ruleset that counts (and may spoof) it, and lab-range checks.
import ipaddr from 'ipaddr.js';
import { SynguardError } from '../core/errors.js';
import { LAB_RANGES } from './addressing.js';

/** Hard cap on any flood's duration, in seconds. */
export const MAX_FLOOD_S = 30;

export interface FloodBudget {
  readonly count: number;
  readonly durationS: number;
  readonly intervalUs: number;
}

/** Packets and pacing for a flood: never more than maxPackets, pps × duration, or 30 s. */
export function floodBudget(pps: number, maxPackets: number, durationS: number): FloodBudget {
  if (!(pps > 0) || !(maxPackets > 0) || !(durationS > 0)) {
    throw new SynguardError('input', `a flood needs positive pps, maxPackets and durationS, got ${pps}, ${maxPackets}, ${durationS}`);
  }
  const d = Math.min(durationS, MAX_FLOOD_S);
  return { count: Math.max(1, Math.min(Math.floor(maxPackets), Math.ceil(pps * d))), durationS: d, intervalUs: Math.max(1, Math.round(1e6 / pps)) };
}

/** True when `cidrOrAddr` lies wholly inside 198.18.0.0/15 or 2001:db8::/32. */
export function insideLabRanges(cidrOrAddr: string): boolean {
  try {
    const [addr, len] = cidrOrAddr.includes('/') ? ipaddr.parseCIDR(cidrOrAddr) : [ipaddr.parse(cidrOrAddr), cidrOrAddr.includes(':') ? 128 : 32];
    return LAB_RANGES.some((r) => {
      const [net, netLen] = ipaddr.parseCIDR(r);
      return addr.kind() === net.kind() && len >= netLen && addr.match(net, netLen);
    });
  } catch {
    return false;
  }
}

/** Throws unless the address or prefix is one the lab may use. */
export function assertLabRange(what: string, value: string): void {
  if (!insideLabRanges(value)) {
    throw new SynguardError('input', `${what} "${value}" is outside the lab ranges 198.18.0.0/15 and 2001:db8::/32`);
  }
}

/** hping3 arguments for a bounded SYN flood; TTL marks the flood's packets for its own nft rule. */
export function hpingArgs(target: string, port: number, b: FloodBudget, ttl: number): string[] {
  return ['-q', '-S', '-p', String(port), '-i', `u${b.intervalUs}`, '-c', String(b.count), '--ttl', String(ttl), target];
}

/** Packets counted by the flood ruleset's counter in `nft list table` output, or null when there is none. */
export function parseSentCounter(listing: string): number | null {
  const m = /counter packets (\d+)/.exec(listing);
  return m ? Number(m[1]) : null;
}

/**
 * nft ruleset in the attacker's namespace that counts this flood's SYNs (marked by TTL) as they leave and, for a
 * spoofed flood, rewrites their source to a random address in `spoofCidr` (IPv4 only).
 */
export function floodRuleset(table: string, ttl: number, spoofCidr?: string): string {
  let spoof = '';
  if (spoofCidr !== undefined) {
    const [net, len] = ipaddr.parseCIDR(spoofCidr);
    if (net.kind() !== 'ipv4') throw new SynguardError('input', `spoofCidr "${spoofCidr}" must be IPv4 (use a /64 with an IPv6 target to rotate)`);
    const u32 = net.toByteArray().reduce((a, b) => a * 256 + b, 0);
    const mod = 2 ** (32 - len);
    spoof = ` ip saddr set numgen random mod ${mod} offset ${u32 - (u32 % mod)}`;
  }
  return `table ip ${table} {
  chain post { type filter hook postrouting priority 0; policy accept; ip ttl ${ttl} tcp flags & (syn | ack) == syn counter${spoof}; }
}
`;
}
