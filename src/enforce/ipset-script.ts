// Pure command text for the ipset+iptables backend: set definitions, `ipset restore` lines and the one raw-table rule.
import { cidrText } from '../core/address.js';
import type { Change } from './buffer.js';

export const IPSET = { 4: 'synguard4', 6: 'synguard6' } as const;
/** ipset's own limit for a timeout, in seconds. */
export const MAX_IPSET_TIMEOUT_S = 2_147_483;

/** `ipset create` arguments; hash:net holds /32s and prefixes side by side (no overlap rules), with per-entry timeouts. */
export function createArgs(family: 4 | 6): string[] {
  return ['-exist', 'create', IPSET[family], 'hash:net', 'family', family === 4 ? 'inet' : 'inet6', 'timeout', '0', 'maxelem', '1048576'];
}

/** The raw PREROUTING rule (runs before conntrack), as iptables/ip6tables arguments after `-t raw -X PREROUTING`. */
export function ruleArgs(family: 4 | 6): string[] {
  return ['-m', 'set', '--match-set', IPSET[family], 'src', '-m', 'comment', '--comment', 'synguard', '-j', 'DROP'];
}

/** Seconds for an ipset timeout (rounded up, so a ban never ends early); null once past. */
export function ipsetTimeout(until: number, now: number): number | null {
  const ms = until - now;
  return ms > 0 ? Math.min(Math.ceil(ms / 1000), MAX_IPSET_TIMEOUT_S) : null;
}

/** `ipset -exist restore` input: with -exist, an add updates the timeout of a present entry and a del of an absent one is quiet. */
export function restoreLines(changes: readonly Change[], now: number): string[] {
  return changes.map((c) => {
    const set = IPSET[c.cidr.family];
    const t = c.until === null ? null : ipsetTimeout(c.until, now);
    return t === null ? `del ${set} ${cidrText(c.cidr)}` : `add ${set} ${cidrText(c.cidr)} timeout ${t}`;
  });
}

/** Entries from `ipset save NAME`: `add synguard4 198.18.1.0/24 timeout 59` (hosts print without a length). */
export function parseIpsetSave(text: string, now: number): { value: string; until: number | null }[] {
  const out: { value: string; until: number | null }[] = [];
  for (const line of text.split('\n')) {
    const m = /^add synguard[46] (\S+)(?: timeout (\d+))?/.exec(line.trim());
    if (!m) continue;
    const raw = m[1]!;
    const value = raw.includes('/') ? raw : `${raw}/${raw.includes(':') ? 128 : 32}`;
    out.push({ value, until: m[2] === undefined ? null : now + Number(m[2]) * 1000 });
  }
  return out;
}
