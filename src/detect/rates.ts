// Per-second rates between two snapshots. Pure.
import { GAUGES } from '../observe/counters.js';
import type { LinkCounters } from '../observe/netdev.js';
import type { Snapshot } from './snapshot.js';

export interface CounterRate {
  readonly value: number;
  /** null with no earlier sample, for gauges, and when the counter went backwards (reset). */
  readonly perSecond: number | null;
}

export type LinkRates = { readonly [K in keyof LinkCounters as `${K}PerSecond`]: number | null };

function perSecond(prev: number | undefined, cur: number, seconds: number): number | null {
  if (prev === undefined || seconds <= 0 || cur < prev) return null;
  return (cur - prev) / seconds;
}

export function elapsedSeconds(prev: Snapshot | undefined, cur: Snapshot): number {
  return prev ? (cur.takenAt - prev.takenAt) / 1000 : 0;
}

export function counterRates(prev: Snapshot | undefined, cur: Snapshot): Record<string, CounterRate> {
  const seconds = elapsedSeconds(prev, cur);
  const out: Record<string, CounterRate> = {};
  for (const [name, value] of Object.entries(cur.raw.counters)) {
    out[name] = { value, perSecond: GAUGES.has(name) ? null : perSecond(prev?.raw.counters[name], value, seconds) };
  }
  return out;
}

export function linkRates(prev: Snapshot | undefined, cur: Snapshot): Record<string, LinkRates> {
  const seconds = elapsedSeconds(prev, cur);
  const out: Record<string, LinkRates> = {};
  for (const [name, c] of Object.entries(cur.raw.links)) {
    const p = prev?.raw.links[name];
    out[name] = {
      rxBytesPerSecond: perSecond(p?.rxBytes, c.rxBytes, seconds),
      rxPacketsPerSecond: perSecond(p?.rxPackets, c.rxPackets, seconds),
      rxDropsPerSecond: perSecond(p?.rxDrops, c.rxDrops, seconds),
      txBytesPerSecond: perSecond(p?.txBytes, c.txBytes, seconds),
      txPacketsPerSecond: perSecond(p?.txPackets, c.txPackets, seconds),
      txDropsPerSecond: perSecond(p?.txDrops, c.txDrops, seconds),
    };
  }
  return out;
}

/** The rate of one counter, or null. */
export function rateOf(rates: Readonly<Record<string, CounterRate>>, name: string): number | null {
  return rates[name]?.perSecond ?? null;
}
