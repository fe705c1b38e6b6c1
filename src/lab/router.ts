// A lab with a router between the attacker and the victim: attacker ⇄ router ⇄ victim, three namespaces of their
// own, never linked to the root namespace. The router→victim link is the victim's "uplink" and can be shaped with
// tbf so that a bounded flood really saturates it; BIRD 2 runs in the router and peers with the victim over BGP.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { exec, execOrThrow, spawnLong, type Spawned } from '../core/exec.js';
import { newLabId, nsName, LAB_PREFIX } from './names.js';
import { addNs, deleteNs, ipBatch } from './netns.js';
import { setSysctls } from './victim.js';
import type { LabHost } from './topology.js';

/** Addresses of the routed lab, all inside 198.18.0.0/15 and 2001:db8::/32. */
export const ROUTED = {
  attacker: { v4: '198.18.100.2', v6: '2001:db8:100::2' },
  routerToAttacker: { v4: '198.18.100.1', v6: '2001:db8:100::1' },
  routerToVictim: { v4: '198.18.101.1', v6: '2001:db8:101::1' },
  victimLink: { v4: '198.18.101.2', v6: '2001:db8:101::2' },
  /** The victim's service addresses, inside its own networks 198.18.102.0/24 and 2001:db8:102::/48. */
  service: { v4: '198.18.102.10', v6: '2001:db8:102::10' },
  ownNetworks: ['198.18.102.0/24', '2001:db8:102::/48'],
  routerAs: 65001,
  victimAs: 65002,
} as const;

export interface RoutedLab {
  readonly id: string;
  readonly attacker: LabHost;
  readonly router: string;
  readonly victim: string;
  /** The victim's end of the router link: its uplink interface. */
  readonly uplink: string;
  /** The router's end, where the uplink is shaped. */
  readonly routerDownlink: string;
}

const veth = (id: string, tag: string): string => `${LAB_PREFIX}${id}-${tag}`;

/** Builds the three namespaces, links, addresses and routes; forwarding on in the router only. */
export async function createRoutedLab(): Promise<RoutedLab> {
  const id = newLabId();
  const [attacker, router, victim] = ['attacker', 'router', 'victim'].map((r) => nsName(id, r)) as [string, string, string];
  const lab: RoutedLab = {
    id, router, victim, uplink: veth(id, 'vu'), routerDownlink: veth(id, 'rv'),
    attacker: { ns: attacker, v4: [ROUTED.attacker.v4], v6: [ROUTED.attacker.v6], dev: veth(id, 'a0') },
  };
  try {
    for (const ns of [attacker, router, victim]) await addNs(ns);
    const a = ROUTED;
    await ipBatch(router, [
      `link add ${veth(id, 'ra')} type veth peer name ${veth(id, 'a0')} netns ${attacker}`,
      `link add ${lab.routerDownlink} type veth peer name ${lab.uplink} netns ${victim}`,
      'link set lo up', `link set ${veth(id, 'ra')} up`, `link set ${lab.routerDownlink} up`,
      `addr add ${a.routerToAttacker.v4}/30 dev ${veth(id, 'ra')}`, `addr add ${a.routerToAttacker.v6}/64 dev ${veth(id, 'ra')} nodad`,
      `addr add ${a.routerToVictim.v4}/30 dev ${lab.routerDownlink}`, `addr add ${a.routerToVictim.v6}/64 dev ${lab.routerDownlink} nodad`,
      `route add ${ROUTED.ownNetworks[0]} via ${a.victimLink.v4}`, `route add ${ROUTED.ownNetworks[1]} via ${a.victimLink.v6}`,
    ]);
    await ipBatch(attacker, [
      'link set lo up', `link set ${veth(id, 'a0')} up`,
      `addr add ${a.attacker.v4}/30 dev ${veth(id, 'a0')}`, `addr add ${a.attacker.v6}/64 dev ${veth(id, 'a0')} nodad`,
      `route add default via ${a.routerToAttacker.v4}`, `route add ::/0 via ${a.routerToAttacker.v6}`,
    ]);
    await ipBatch(victim, [
      'link set lo up', `link set ${lab.uplink} up`,
      `addr add ${a.victimLink.v4}/30 dev ${lab.uplink}`, `addr add ${a.victimLink.v6}/64 dev ${lab.uplink} nodad`,
      `addr add ${a.service.v4}/32 dev lo`, `addr add ${a.service.v6}/128 dev lo nodad`,
      `route add default via ${a.routerToVictim.v4}`, `route add ::/0 via ${a.routerToVictim.v6}`,
    ]);
    await setSysctls(router, { 'net.ipv4.ip_forward': 1, 'net.ipv6.conf.all.forwarding': 1, 'net.ipv4.conf.all.rp_filter': 0, 'net.ipv4.conf.default.rp_filter': 0 });
    return lab;
  } catch (err) {
    await destroyRoutedLab(lab);
    throw err;
  }
}

export async function destroyRoutedLab(lab: RoutedLab): Promise<void> {
  for (const ns of [lab.attacker.ns, lab.router, lab.victim]) await deleteNs(ns);
}

/** Creates a routed lab, runs fn, and always tears it down (namespaces deleted, their processes killed). */
export async function withRoutedLab<T>(fn: (lab: RoutedLab) => Promise<T>): Promise<T> {
  const lab = await createRoutedLab();
  try {
    return await fn(lab);
  } finally {
    await destroyRoutedLab(lab);
  }
}

/**
 * Shapes the router→victim link to `rate`, so that the victim's uplink really fills up. As a provider's edge does,
 * the router gives its own BGP session (TCP port 179) a band of its own ahead of the shaped traffic: otherwise the
 * flood drops the keepalives, the session expires (hold time 9 s) and the announcements vanish with it.
 */
export async function shapeUplink(lab: RoutedLab, rate: string): Promise<void> {
  const dev = lab.routerDownlink;
  const tc = (args: string[]) => execOrThrow('tc', args, { netns: lab.router });
  // HTB (this kernel offers no prio qdisc): class 1:10 for BGP, served first; everything else in 1:20, held to `rate`.
  await tc(['qdisc', 'replace', 'dev', dev, 'root', 'handle', '1:', 'htb', 'default', '20']);
  await tc(['class', 'add', 'dev', dev, 'parent', '1:', 'classid', '1:10', 'htb', 'rate', '1mbit', 'ceil', '10mbit', 'prio', '0']);
  await tc(['class', 'add', 'dev', dev, 'parent', '1:', 'classid', '1:20', 'htb', 'rate', rate, 'ceil', rate, 'prio', '1']);
  for (const [pref, protocol, ip] of [['1', 'ip', 'ip'], ['2', 'ipv6', 'ip6']] as const) {
    for (const end of ['sport', 'dport']) {
      await tc(['filter', 'add', 'dev', dev, 'parent', '1:', 'protocol', protocol, 'prio', pref, 'u32', 'match', ip, end, '179', '0xffff', 'flowid', '1:10']);
    }
  }
}

export interface Bird {
  /** `birdc show route all [table T]`. */
  routes(table?: string): Promise<string>;
  stop(): Promise<void>;
}

/** BIRD 2 in the router namespace: one BGP session with the victim, FlowSpec tables flowtab4/flowtab6. */
export async function startBird(lab: RoutedLab): Promise<Bird> {
  const dir = mkdtempSync(join(tmpdir(), 'sgl-bird-'));
  const conf = join(dir, 'bird.conf');
  const socket = join(dir, 'bird.ctl');
  const a = ROUTED;
  writeFileSync(conf, `router id ${a.routerToVictim.v4};
flow4 table flowtab4;
flow6 table flowtab6;
protocol device {}
protocol bgp victim {
  local ${a.routerToVictim.v4} as ${a.routerAs};
  neighbor ${a.victimLink.v4} as ${a.victimAs};
  hold time 9;
  ipv4 { import all; export none; };
  ipv6 { import all; export none; };
  flow4 { table flowtab4; import all; export none; };
  flow6 { table flowtab6; import all; export none; };
}
`);
  const proc: Spawned = spawnLong('bird', ['-c', conf, '-s', socket, '-f'], { netns: lab.router, stdio: 'ignore' });
  const birdc = async (...args: string[]) => (await exec('birdc', ['-s', socket, ...args], { timeoutMs: 10_000 })).stdout;
  for (let i = 0; i < 50 && !(await birdc('show', 'status')).includes('Daemon is up'); i++) await sleep(100);
  return {
    routes: (table) => birdc('show', 'route', 'all', ...(table ? ['table', table] : [])),
    async stop() {
      proc.child.kill('SIGTERM');
      await proc.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
