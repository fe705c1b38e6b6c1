// The active decisions, indexed so that a tick's questions (same value? covered by a prefix? hosts in a prefix?)
// cost a few map lookups each, not a scan of every ban: a host may hold 100k manual bans.
import type { Decision } from '../core/decision.js';
import { prefixKey, toNet, type Net } from './cidr-math.js';

interface Entry { readonly d: Decision; readonly net: Net }

export class ActiveIndex {
  private readonly byValue = new Map<string, Entry>();
  private readonly byKey = new Map<string, Decision>();
  private readonly lengths = { 4: new Map<number, number>(), 6: new Map<number, number>() };
  /** Address decisions grouped by prefix, per "family/length"; built on first use, then kept up to date. */
  private readonly groups = new Map<string, { readonly length: number; readonly family: 4 | 6; readonly map: Map<string, Set<Decision>> }>();

  /** Decisions ending at or before `now` are left out; of two on one value, the later-ending one is kept. */
  constructor(decisions: Iterable<Decision>, now: number) {
    for (const d of decisions) {
      const prev = this.byValue.get(d.value);
      if (d.until > now && (!prev || d.until > prev.d.until)) this.set(d);
    }
  }

  get(value: string): Decision | undefined {
    return this.byValue.get(value)?.d;
  }

  values(): Decision[] {
    return [...this.byValue.values()].map((e) => e.d);
  }

  set(d: Decision): void {
    this.delete(d.value);
    const net = toNet(d.value);
    this.byValue.set(d.value, { d, net });
    this.byKey.set(prefixKey(net, net.length), d);
    const lengths = this.lengths[net.family];
    lengths.set(net.length, (lengths.get(net.length) ?? 0) + 1);
    this.regroup(d, net, true);
  }

  delete(value: string): void {
    const entry = this.byValue.get(value);
    if (!entry) return;
    this.byValue.delete(value);
    const { net } = entry;
    this.byKey.delete(prefixKey(net, net.length));
    const lengths = this.lengths[net.family];
    const n = (lengths.get(net.length) ?? 1) - 1;
    if (n === 0) lengths.delete(net.length);
    else lengths.set(net.length, n);
    this.regroup(entry.d, net, false);
  }

  /** An active decision on a wider prefix that contains `net` entirely, if any. */
  covering(net: Net): Decision | undefined {
    for (const length of this.lengths[net.family].keys()) {
      if (length >= net.length) continue;
      const d = this.byKey.get(prefixKey(net, length));
      if (d) return d;
    }
    return undefined;
  }

  /** The active address (scope ip) decisions inside `net`. */
  hostsIn(net: Net): Decision[] {
    const which = `${net.family}/${net.length}`;
    let group = this.groups.get(which);
    if (!group) {
      group = { family: net.family, length: net.length, map: new Map() };
      this.groups.set(which, group);
      for (const { d, net: n } of this.byValue.values()) if (d.scope === 'ip') add(group, d, n);
    }
    return [...(group.map.get(prefixKey(net, net.length)) ?? [])];
  }

  private regroup(d: Decision, net: Net, adding: boolean): void {
    if (d.scope !== 'ip') return;
    for (const group of this.groups.values()) {
      if (adding) add(group, d, net);
      else if (group.family === net.family && net.length >= group.length) group.map.get(prefixKey(net, group.length))?.delete(d);
    }
  }
}

function add(group: { length: number; family: 4 | 6; map: Map<string, Set<Decision>> }, d: Decision, net: Net): void {
  if (net.family !== group.family || net.length < group.length) return;
  const key = prefixKey(net, group.length);
  const members = group.map.get(key);
  if (members) members.add(d);
  else group.map.set(key, new Set([d]));
}
