// Bench support: a lab victim whose socket table is filled by a real spoofed SYN flood (cookies off, backlog 262144)
// while a measurement runs inside the victim's namespace. The flood is bounded (30 s, 600k SYNs per sender).
// A table of a million: million-table.ts.
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { exec } from '../core/exec.js';
import { withLab } from '../lab/topology.js';
import { setSysctls, startVictimServer } from '../lab/victim.js';
import { synFlood } from '../lab/attacks.js';

const SNAP = fileURLToPath(new URL('./snap-once.js', import.meta.url));
const SENDERS = 2;
const FLOOD_S = 30;

export interface FloodedTable {
  /** The victim's namespace, where the table is. */
  readonly ns: string;
  /** SYN_RECV entries when the measurement began. */
  readonly size: number;
  /** True once the flood is over (measure no more rounds then). */
  done(): boolean;
}

export interface FloodResult<T> {
  readonly result: T;
  readonly packetsSent: number;
  /** What one hping3 sender achieved, SYNs per second. */
  readonly perSenderPps: number;
}

/** SYN_RECV entries in namespace `ns` now (IPv4 and IPv6), read by a snapshot in a child process. */
export async function halfOpenIn(ns: string): Promise<number> {
  const r = await exec(process.execPath, [SNAP, '/proc/net/tcp', '/proc/net/tcp6'], { netns: ns, timeoutMs: 120_000 });
  return (JSON.parse(r.stdout) as { halfOpen: number }).halfOpen;
}

/** Floods a fresh lab's victim from two hping3 senders, waits for 150k SYN_RECV (at most 20 s), then measures. */
export async function withFloodedTable<T>(measure: (table: FloodedTable) => Promise<T>): Promise<FloodResult<T>> {
  return withLab({ attackers: 1 }, async (lab) => {
    const ns = lab.victim.ns;
    await setSysctls(ns, { 'net.ipv4.tcp_syncookies': 0, 'net.core.somaxconn': 262144, 'net.ipv4.tcp_max_syn_backlog': 262144, 'net.ipv4.tcp_synack_retries': 5 });
    const server = await startVictimServer(ns, { port: 80, backlog: 262144 });
    try {
      // Two senders: one alone tops out near 10k SYN/s (the figure this prints as perSenderPps).
      // allSettled: a sender that fails must not crash the run before the lab is torn down.
      const started = Date.now();
      const flood = Promise.allSettled(Array.from({ length: SENDERS }, () => synFlood(lab.attackers[0]!, {
        target: lab.victim.v4[0]!, port: 80, pps: 20_000, maxPackets: 600_000, durationS: FLOOD_S, spoofCidr: '198.19.0.0/16',
      })));
      let ended = 0;
      void flood.finally(() => { ended = Date.now(); });
      let size = 0;
      while (ended === 0 && (size = await halfOpenIn(ns)) < 150_000 && Date.now() - started < 20_000) await sleep(500);
      const result = await measure({ ns, size, done: () => ended !== 0 });
      const packetsSent = (await flood).reduce((sum, r) => sum + (r.status === 'fulfilled' ? r.value.packetsSent : 0), 0);
      return { result, packetsSent, perSenderPps: packetsSent / SENDERS / ((ended - started) / 1000) };
    } finally {
      await server.stop();
    }
  });
}
