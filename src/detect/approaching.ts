// Sources climbing towards a ban threshold: between `clear` and `ban`, and higher than a tick ago. The daemon looks
// again sooner while there are any, so a connection flood is banned as it crosses the line, not up to a tick later.
// Pure: the caller keeps the counts between ticks.
import type { DetectionConfig } from '../config/schema.js';
import type { SourceSummary } from './sources.js';

export interface Approach {
  readonly rising: boolean;
  /** Counts to pass back next tick (only the few sources above `clear`). */
  readonly counts: ReadonlyMap<string, number>;
}

export function approaching(prev: ReadonlyMap<string, number>, src: SourceSummary, d: DetectionConfig): Approach {
  const counts = new Map<string, number>();
  let rising = false;
  const look = (key: string, n: number, t: { ban: number; clear: number }) => {
    if (n < t.clear || n >= t.ban) return;
    counts.set(key, n);
    if (n > (prev.get(key) ?? 0)) rising = true;
  };
  for (const o of src.establishedOffenders) look(`established ${o.address}`, o.established, d.established);
  for (const o of src.halfOpenOffenders) look(`half-open ${o.address}`, o.synRecv, d.halfOpen);
  return { rising, counts };
}
