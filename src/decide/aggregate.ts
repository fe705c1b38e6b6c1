// Prefix aggregation: when enough addresses of one /24 (IPv4) or /64 (IPv6) offend, the prefix is judged instead.
import { prefixOf } from '../core/address.js';
import type { Config } from '../config/schema.js';
import type { ActiveIndex } from './active-index.js';
import { toNet, type Net } from './cidr-math.js';

export interface Offence {
  readonly net: Net;
  readonly reason: string;
  readonly evidence: readonly string[];
  /** 'kernel' when the SYN-rate meter dropped it first; the decision carries it. */
  readonly origin?: 'kernel';
}

/** One thing to judge: a single offender, or a prefix standing for several. */
export interface Candidate extends Offence {
  /** For an aggregated prefix: the offending addresses it stands for (judged one by one if the prefix is refused). */
  readonly members: readonly Offence[];
}

const MAX_EVIDENCE = 12;

function addressOf(net: Net): string {
  return net.text.slice(0, net.text.lastIndexOf('/'));
}

/**
 * Groups address offenders by prefix. A group whose distinct addresses (offending now, or already banned) reach
 * `bans.prefixAfter` becomes one prefix candidate; prefix candidates come first, then the remaining offenders.
 */
export function aggregate(offenders: readonly Offence[], active: ActiveIndex, config: Config): Candidate[] {
  const { ipv4, ipv6 } = config.prefixes;
  const groups = new Map<string, Offence[]>();
  const singles: Candidate[] = [];
  for (const o of offenders) {
    const isHost = o.net.length === (o.net.family === 4 ? 32 : 128);
    if (!isHost) {
      singles.push({ ...o, members: [] });
      continue;
    }
    const prefix = prefixOf(addressOf(o.net), ipv4, ipv6);
    const members = groups.get(prefix);
    if (members) members.push(o);
    else groups.set(prefix, [o]);
  }
  const prefixes: Candidate[] = [];
  for (const [prefix, members] of groups) {
    const net = toNet(prefix);
    const addresses = new Set(members.map((m) => m.net.text));
    for (const host of active.hostsIn(net)) addresses.add(host.value);
    const needed = net.family === 4 ? config.defender.bans.prefixAfter.ipv4 : config.defender.bans.prefixAfter.ipv6;
    if (addresses.size < needed) {
      for (const m of members) singles.push({ ...m, members: [] });
      continue;
    }
    const shown = [...addresses].slice(0, 5).map((a) => a.replace(/\/(32|128)$/, ''));
    const more = addresses.size > 5 ? ` and ${addresses.size - 5} more` : '';
    prefixes.push({
      net,
      reason: `${addresses.size} addresses of ${prefix} offended (prefix ban from ${needed}): ${shown.join(', ')}${more}`,
      evidence: members.flatMap((m) => m.evidence.map((e) => `${addressOf(m.net)}: ${e}`)).slice(0, MAX_EVIDENCE),
      members,
      ...(members.every((m) => m.origin === 'kernel') ? { origin: 'kernel' as const } : {}),
    });
  }
  return [...prefixes, ...singles];
}
