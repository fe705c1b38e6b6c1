// Interface byte, packet and drop counters from /proc/net/dev.
import { readFileSync } from 'node:fs';
import { fromSystemError } from '../core/errors.js';

export interface LinkCounters {
  readonly rxBytes: number;
  readonly rxPackets: number;
  readonly rxDrops: number;
  readonly txBytes: number;
  readonly txPackets: number;
  readonly txDrops: number;
}

/** Parses /proc/net/dev: two header lines, then "iface: 16 numbers". */
export function parseNetDev(text: string): { links: Record<string, LinkCounters>; badLines: number } {
  const links: Record<string, LinkCounters> = {};
  let badLines = 0;
  for (const line of text.split('\n').slice(2)) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    const n = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    if (colon < 0 || n.length !== 16 || n.some((v) => !Number.isFinite(v))) {
      badLines++;
      continue;
    }
    links[line.slice(0, colon).trim()] = {
      rxBytes: n[0] ?? 0, rxPackets: n[1] ?? 0, rxDrops: n[3] ?? 0,
      txBytes: n[8] ?? 0, txPackets: n[9] ?? 0, txDrops: n[11] ?? 0,
    };
  }
  return { links, badLines };
}

export function readNetDev(path = '/proc/net/dev'): { links: Record<string, LinkCounters>; badLines: number } {
  try {
    return parseNetDev(readFileSync(path, 'utf8'));
  } catch (err) {
    throw fromSystemError(err, path);
  }
}
