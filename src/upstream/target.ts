// The attacked destination in a snapshot: the local address and port holding the most half-open connections. Pure.
import { keyText, type Snapshot } from '../detect/snapshot.js';
import type { Target } from './policy.js';

/** The (local address, port) with the most SYN_RECV entries, or null when there are none. */
export function attackedTarget(cur: Snapshot): Target | null {
  let best: { address: string; port: number; count: number } | null = null;
  for (const [port, byAddr] of cur.raw.tally.synRecvByPort) {
    for (const [local, count] of byAddr) {
      if (count > 0 && (best === null || count > best.count)) best = { address: keyText(local), port, count };
    }
  }
  return best && { address: best.address, port: best.port };
}
