// Counts, inside a lab host, the distinct ports the victim answered with a SYN-ACK: how long the victim's kernel kept
// answering a flood, measured on the wire (hping3 sends each SYN from the next source port). An nft set in the host's
// own namespace does the counting; retransmitted SYN-ACKs to a port already seen count once.
import { exec } from '../core/exec.js';
import { SynguardError } from '../core/errors.js';
import { nftApply } from './netns.js';
import type { LabHost } from './topology.js';

let seq = 0;

export interface SynAckCounter {
  /** Distinct ports answered so far. */
  count(): Promise<number>;
  stop(): Promise<void>;
}

export async function countSynAcks(host: LabHost): Promise<SynAckCounter> {
  const table = `sgl_synack_${process.pid}_${++seq}`;
  await nftApply(host.ns, `table inet ${table} {
  set ports { type inet_service; flags dynamic; size 65535; }
  chain in { type filter hook input priority -10; policy accept; tcp flags & (syn | ack) == syn | ack add @ports { tcp dport }; }
}
`);
  return {
    async count() {
      const r = await exec('nft', ['-j', 'list', 'set', 'inet', table, 'ports'], { netns: host.ns });
      if (r.failed) throw new SynguardError('exec', `nft list set in ${host.ns}: ${r.stderr.trim()}`);
      const doc = JSON.parse(r.stdout) as { nftables: Array<{ set?: { elem?: unknown[] } }> };
      return doc.nftables.find((i) => i.set)?.set?.elem?.length ?? 0;
    },
    async stop() {
      await exec('nft', ['delete', 'table', 'inet', table], { netns: host.ns });
    },
  };
}
