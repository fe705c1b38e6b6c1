// Builds and tears down one lab: a victim namespace joined by veth pairs to a client and attacker namespaces, never to the root namespace.
import { LINK_LOCAL_PEER, LINK_LOCAL_VICTIM, VICTIM_V4, VICTIM_V6, planPeers, type PeerPlan } from './addressing.js';
import { newLabId, nsName, vethName } from './names.js';
import { execOrThrow } from '../core/exec.js';
import { beforeEarlyEnd } from '../core/teardown.js';
import { addNs, deleteNs, ipBatch, nftApply } from './netns.js';
import { claimRun, ownedRuns, releaseRun } from './owners.js';
import { ensureRoot, ensureTools } from './tools.js';

export { listLeftovers, removeLeftovers } from './leftovers.js';

export interface LabHost {
  ns: string;
  v4: string[];
  v6: string[];
  /** This host's interface inside its namespace (the peer end of its veth); absent for the victim. */
  dev?: string;
}
export interface Lab {
  id: string;
  victim: LabHost;
  attackers: LabHost[];
  client: LabHost;
  teardown(): Promise<void>;
}
export interface LabOptions {
  attackers?: number;
  clientExtraAddrs?: number;
}

/** In attacker namespaces: never answer the victim's SYN-ACKs with RST, so half-open entries really pile up. */
const ATTACKER_RULES = `table inet sgl_attacker {
  chain out { type filter hook output priority 0; policy accept; tcp flags & rst == rst counter drop; }
}
`;

/**
 * In the client namespace, which stands for many real clients: its own ephemeral ports must never be what limits
 * it. Opening ~15,000 connections/s (wrk with `Connection: close`), its TIME_WAIT sockets filled the default port
 * range within a few runs, and each connect() then spent milliseconds in the kernel's port search
 * (`__inet_hash_connect`): requests/s fell from ~15,000 to 300–600 with or without synguard (docs/benchmarks.md).
 * TIME_WAIT reuse for outgoing connections and the whole unprivileged range remove that.
 */
const CLIENT_SYSCTLS = ['net.ipv4.tcp_tw_reuse=1', 'net.ipv4.ip_local_port_range=1024 65535'];

function victimLines(id: string, peers: readonly PeerPlan[]): string[] {
  const lines = ['link set lo up', `addr add ${VICTIM_V4}/32 dev lo`, `addr add ${VICTIM_V6}/128 dev lo nodad`];
  for (const p of peers) {
    const dev = vethName(id, 'v', p.link);
    lines.push(`link set ${dev} up`, `addr add ${LINK_LOCAL_VICTIM}/64 dev ${dev} nodad`);
    for (const r of p.victimRoutes4) lines.push(`route add ${r} via ${p.v4[0]} dev ${dev} onlink`);
    for (const r of p.victimRoutes6) lines.push(`route add ${r} via ${LINK_LOCAL_PEER} dev ${dev}`);
  }
  return lines;
}

function peerLines(id: string, p: PeerPlan): string[] {
  const dev = vethName(id, 'p', p.link);
  const lines = ['link set lo up', `link set ${dev} up`, `addr add ${LINK_LOCAL_PEER}/64 dev ${dev} nodad`];
  for (const a of p.v4) lines.push(`addr add ${a}/32 dev ${dev}`);
  for (const a of p.v6) lines.push(`addr add ${a}/128 dev ${dev} nodad`);
  lines.push(`route add default via ${VICTIM_V4} dev ${dev} onlink src ${p.v4[0]}`);
  lines.push(`route add ::/0 via ${LINK_LOCAL_VICTIM} dev ${dev} src ${p.v6[0]}`);
  return lines;
}

/** Creates a fresh lab (needs root). Defaults: 1 attacker, 2 extra client addresses (the first shares attacker 1's /24 and /64). */
export async function createLab(opts: LabOptions = {}): Promise<Lab> {
  ensureRoot();
  ensureTools(['ip', 'nft', 'sysctl']);
  const peers = planPeers(opts.attackers ?? 1, opts.clientExtraAddrs ?? 2);
  let id = newLabId();
  while (ownedRuns().includes(id)) id = newLabId(); // never share an id with a run in progress
  const victimNs = nsName(id, 'victim');
  const allNs = [victimNs, ...peers.map((p) => nsName(id, p.role))];
  let torn: Promise<void> | undefined;
  let forget = (): void => undefined;
  const teardown = (): Promise<void> => {
    torn ??= (async () => {
      forget();
      const errors: string[] = [];
      // every planned name, created or not: a signal may arrive while a namespace is being added
      for (const ns of [...allNs].reverse()) {
        const err = await deleteNs(ns);
        if (err) errors.push(err);
      }
      releaseRun(id);
      if (errors.length > 0) throw new Error(`lab ${id} teardown incomplete: ${errors.join('; ')}`);
    })();
    return torn;
  };
  const hostOf = (p: PeerPlan): LabHost => ({ ns: nsName(id, p.role), v4: [...p.v4], v6: [...p.v6], dev: vethName(id, 'p', p.link) });
  const lab: Lab = {
    id,
    victim: { ns: victimNs, v4: [VICTIM_V4], v6: [VICTIM_V6] },
    client: hostOf(peers[0]!),
    attackers: peers.slice(1).map(hostOf),
    teardown,
  };
  claimRun(id);
  forget = beforeEarlyEnd(`lab ${id}`, teardown);
  try {
    for (const ns of allNs) await addNs(ns);
    await ipBatch(victimNs, peers.map((p) => `link add ${vethName(id, 'v', p.link)} type veth peer name ${vethName(id, 'p', p.link)} netns ${nsName(id, p.role)}`));
    await ipBatch(victimNs, victimLines(id, peers));
    for (const p of peers) await ipBatch(nsName(id, p.role), peerLines(id, p));
    await execOrThrow('sysctl', ['-q', '-w', ...CLIENT_SYSCTLS], { netns: lab.client.ns });
    for (const a of lab.attackers) await nftApply(a.ns, ATTACKER_RULES);
  } catch (err) {
    await teardown().catch(() => undefined);
    throw err;
  }
  return lab;
}

/** Runs `fn` with a fresh lab and always tears it down afterwards, whether `fn` succeeds or throws. */
export async function withLab<T>(opts: LabOptions | undefined, fn: (lab: Lab) => Promise<T>): Promise<T> {
  const lab = await createLab(opts);
  try {
    return await fn(lab);
  } finally {
    await lab.teardown();
  }
}

/** Adds `count` more addresses to a peer host inside its own /24 and /64 (198.18.K.3…, 2001:db8:0:K::3…); returns the host with them. */
export async function addHostAddresses(host: LabHost, count: number): Promise<LabHost> {
  const v4base = host.v4[0]?.split('.').slice(0, 3).join('.');
  const v6base = host.v6[0]?.replace(/::2$/, '');
  if (!host.dev || !v4base || !v6base || count < 1) return host;
  const v4 = Array.from({ length: count }, (_, j) => `${v4base}.${3 + j}`);
  const v6 = Array.from({ length: count }, (_, j) => `${v6base}::${(3 + j).toString(16)}`);
  const lines = [...v4.map((a) => `addr replace ${a}/32 dev ${host.dev ?? ''}`), ...v6.map((a) => `addr replace ${a}/128 dev ${host.dev ?? ''} nodad`)];
  await ipBatch(host.ns, lines);
  return { ...host, v4: [...host.v4, ...v4], v6: [...host.v6, ...v6] };
}
