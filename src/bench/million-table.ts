// Bench support: a lab victim holding a socket table of a million SYN_RECV entries or more while a measurement runs
// inside its namespace. Four things make that possible on a 2-core machine within the 30 s a lab flood may last:
// - one sequential sender (seq-flood.ts): every SYN its own source address and port, so each leaves an entry
//   (50–80k SYN/s here, against ~10k for one hping3, whose random sources also repeat);
// - listen backlog, somaxconn and tcp_max_syn_backlog at 4 × the entries: the kernel prunes a listener's old entries
//   once its queue is over half the backlog, and (cookies off) drops SYNs once less than a quarter of
//   tcp_max_syn_backlog is left;
// - tcp_synack_retries 6: an entry lives about 127 s, so the table holds while the daemon starts and is measured;
// - the SYN-ACKs to the spoofed /16 are routed into a bridge without ports inside the victim namespace, where they
//   vanish as sent. Sent to the attacker namespace, a burst of retransmits overflows the receiving CPU's backlog,
//   and the kernel drops an entry whose SYN-ACK retransmit fails: half the table was gone within seconds.
//   The victim still builds, sends and retransmits every SYN-ACK; only the attacker's side of the link is spared.
import { readFileSync } from 'node:fs';
import { exec } from '../core/exec.js';
import { SPOOF_POOL_V4 } from '../lab/addressing.js';
import { ipBatch } from '../lab/netns.js';
import { vethName } from '../lab/names.js';
import { seqSynFlood } from '../lab/seq-flood.js';
import { withLab } from '../lab/topology.js';
import { setSysctls, startVictimServer } from '../lab/victim.js';
import { halfOpenIn, type FloodedTable, type FloodResult } from './flooded-table.js';

const PPS = 80_000;
const FLOOD_S = 30;

export interface MillionResult<T> extends FloodResult<T> {
  /** Seconds the flood took. */
  readonly floodS: number;
  /** Kernel memory held by IPv4 request sockets (all namespaces), MB, before the flood and when it ended. */
  readonly requestSockMB: readonly [number, number];
}

/** MB in the request_sock_TCP slab cache (needs root). */
function requestSockMB(): number {
  const line = readFileSync('/proc/slabinfo', 'utf8').split('\n').find((l) => l.startsWith('request_sock_TCP '));
  const [, active = '0', , size = '0'] = line?.split(/\s+/) ?? [];
  return (Number(active) * Number(size)) / 1024 / 1024;
}

/** Floods a fresh lab's victim until it holds `entries` SYN_RECV entries (≤ 30 s), then measures. */
export async function withMillionTable<T>(entries: number, measure: (table: FloodedTable) => Promise<T>): Promise<MillionResult<T>> {
  return withLab({ attackers: 1 }, async (lab) => {
    const ns = lab.victim.ns;
    const backlog = 4 * entries;
    await setSysctls(ns, {
      'net.ipv4.tcp_syncookies': 0, 'net.core.somaxconn': backlog, 'net.ipv4.tcp_max_syn_backlog': backlog, 'net.ipv4.tcp_synack_retries': 6,
      // strict reverse-path filtering would drop the flood: its sources are now routed to the sink, not its link
      'net.ipv4.conf.all.rp_filter': 0, [`net.ipv4.conf.${vethName(lab.id, 'v', 2)}.rp_filter`]: 0,
    });
    await ipBatch(ns, [
      'link add sgsink type bridge', 'link set sgsink up',
      'neigh replace 198.18.250.2 lladdr 02:00:00:00:00:02 dev sgsink nud permanent',
      `route replace ${SPOOF_POOL_V4} via 198.18.250.2 dev sgsink onlink`,
    ]);
    const server = await startVictimServer(ns, { port: 80, backlog });
    try {
      const mb0 = requestSockMB();
      const started = Date.now();
      const { packetsSent } = await seqSynFlood(lab.attackers[0]!, {
        target: lab.victim.v4[0]!, port: 80, pps: PPS, maxPackets: entries, durationS: FLOOD_S, sources: SPOOF_POOL_V4,
      });
      const floodS = (Date.now() - started) / 1000;
      const mb1 = requestSockMB();
      const size = await halfOpenIn(ns);
      const result = await measure({ ns, size, done: () => true });
      return { result, packetsSent, perSenderPps: packetsSent / floodS, floodS, requestSockMB: [mb0, mb1] };
    } finally {
      await server.stop();
      // The entries outlive the listener and the namespace (each dies at its next SYN-ACK timer, up to 64 s later) and
      // sit in the kernel's one TCP hash table meanwhile, which every namespace's /proc/net/tcp walks: destroy them now.
      await exec('ss', ['-K', '-Htn', 'state', 'syn-recv'], { netns: ns, timeoutMs: 120_000, maxBufferBytes: 1 << 30 });
    }
  });
}
