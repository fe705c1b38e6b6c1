// The allow-list: addresses that are never banned, automatically or manually. A ban overlapping any of them is refused.
import { toNet, overlaps, type Net } from './cidr-math.js';

export type AllowSource = 'loopback' | 'own address' | 'default gateway' | 'SSH peer' | 'configured';

export interface AllowEntry {
  /** Canonical CIDR text. */
  readonly value: string;
  readonly source: AllowSource;
}

export interface AllowList {
  readonly entries: readonly AllowEntry[];
  /** The first entry the CIDR overlaps (contains, or is contained in), or undefined. Throws on malformed input. */
  match(value: string): AllowEntry | undefined;
  isAllowed(value: string): boolean;
  /** Why the value may not be banned, in one line; null when it may be. */
  why(value: string): string | null;
}

export interface AllowListInputs {
  readonly own?: readonly string[];
  readonly gateways?: readonly string[];
  readonly sshPeers?: readonly string[];
  /** `defender.allowList` from the config. */
  readonly configured?: readonly string[];
}

export const LOOPBACK = ['127.0.0.0/8', '::1/128'] as const;

/**
 * Builds the allow-list. Every input is parsed strictly and IPv4-mapped forms become IPv4, so that
 * `::ffff:127.0.0.1` is loopback. Unparseable inputs (a reader's odd line) are skipped, not fatal.
 */
export function buildAllowList(inputs: AllowListInputs): AllowList {
  const nets: Array<{ net: Net; entry: AllowEntry }> = [];
  const seen = new Set<string>();
  const add = (values: readonly string[] | undefined, source: AllowSource): void => {
    for (const value of values ?? []) {
      let net: Net;
      try {
        net = toNet(value);
      } catch {
        continue;
      }
      if (seen.has(net.text)) continue;
      seen.add(net.text);
      nets.push({ net, entry: { value: net.text, source } });
    }
  };
  add(LOOPBACK, 'loopback');
  add(inputs.own, 'own address');
  add(inputs.gateways, 'default gateway');
  add(inputs.sshPeers, 'SSH peer');
  add(inputs.configured, 'configured');

  const match = (value: string): AllowEntry | undefined => {
    const target = toNet(value);
    return nets.find((n) => overlaps(n.net, target))?.entry;
  };
  return {
    entries: nets.map((n) => n.entry),
    match,
    isAllowed: (value) => match(value) !== undefined,
    why: (value) => {
      const entry = match(value);
      if (!entry) return null;
      const target = toNet(value).text;
      const how = target === entry.value ? 'is' : 'overlaps';
      return `allow-listed: ${target} ${how} ${entry.value} (${entry.source}), which is never banned`;
    },
  };
}
