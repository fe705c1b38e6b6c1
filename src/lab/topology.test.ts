// Real labs: concurrent labs carry no traffic between them, nothing in the root namespace, teardown leaves nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLab, listLeftovers, withLab, type Lab, type LabHost } from './topology.js';
import { listNs } from './netns.js';
import { startVictimServer } from './victim.js';
import { exec } from '../core/exec.js';
import { canConnect } from '../testing/connect-probe.js';
import { LAB, needs } from '../testing/needs.js';

const [PORT_A, PORT_B] = [8081, 8082];
const PORT_SYSCTLS = ['net.ipv4.tcp_tw_reuse', 'net.ipv4.ip_local_port_range'];
const portSysctls = async (ns?: string): Promise<string[]> =>
  (await exec('sysctl', ['-n', ...PORT_SYSCTLS], ns ? { netns: ns } : {})).stdout.trim().split('\n').map((l) => l.replace(/\s+/g, ' '));

test('two concurrent labs are isolated, and teardown leaves nothing behind', needs(LAB, async () => {
  const hostBefore = await portSysctls();
  const a = await createLab();
  const b = await createLab({ attackers: 2, clientExtraAddrs: 3 });
  const servers: { stop(): Promise<void> }[] = [];
  try {
    assert.notEqual(a.id, b.id);
    const names = await listNs();
    for (const ns of [a.victim.ns, a.client.ns, a.attackers[0]!.ns, b.victim.ns, b.attackers[1]!.ns]) assert.ok(names.includes(ns), ns);
    assert.equal(b.attackers.length, 2);
    assert.equal(b.client.v4.length, 4);
    const addrs = await exec('ip', ['-o', 'addr', 'show'], { netns: a.client.ns });
    for (const addr of [...a.client.v4, ...a.client.v6]) assert.ok(addrs.stdout.includes(`${addr}/`), addr);
    const rootLinks = await exec('ip', ['-o', 'link', 'show']);
    assert.ok(!rootLinks.stdout.includes(`sgl-${a.id}`), 'no lab interface in the root namespace');
    // The client's own port space is never the bottleneck (topology.ts): set in its namespace, never in the host's.
    assert.deepEqual(await portSysctls(a.client.ns), ['1', '1024 65535']);
    assert.deepEqual(await portSysctls(), hostBefore, 'the host\'s own values are untouched');

    // Real traffic. Both labs use the same addresses; each victim serves its own port. A client completes a handshake
    // with its own lab's victim, over IPv4 and IPv6, and never with the other lab's: the other port is refused.
    assert.deepEqual([a.victim.v4[0], a.victim.v6[0]], [b.victim.v4[0], b.victim.v6[0]], 'the same addresses in both labs');
    servers.push(await startVictimServer(a.victim.ns, { port: PORT_A, backlog: 16 }), await startVictimServer(b.victim.ns, { port: PORT_B, backlog: 16 }));
    const reach = async (from: LabHost, to: Lab, port: number, family: 'v4' | 'v6'): Promise<boolean> =>
      canConnect(from.ns, from[family][0]!, to.victim[family][0]!, port);
    for (const family of ['v4', 'v6'] as const) {
      assert.ok(await reach(a.client, a, PORT_A, family), `lab a: client to its victim (${family})`);
      assert.ok(await reach(b.client, b, PORT_B, family), `lab b: client to its victim (${family})`);
      assert.equal(await reach(a.client, b, PORT_B, family), false, `lab a's client never reaches lab b's victim (${family})`);
      assert.equal(await reach(b.client, a, PORT_A, family), false, `lab b's client never reaches lab a's victim (${family})`);
      assert.equal(await reach(b.attackers[1]!, a, PORT_A, family), false, `lab b's attacker never reaches lab a's victim (${family})`);
    }
    await servers.shift()?.stop();
    await a.teardown();
    assert.deepEqual(await listLeftovers({ id: a.id }), []);
    assert.ok((await listNs()).includes(b.victim.ns), 'tearing down one lab leaves the other alone');
    assert.ok(await reach(b.client, b, PORT_B, 'v4'), 'and the other lab still carries traffic');
  } finally {
    for (const s of servers) await s.stop();
    await a.teardown();
    await b.teardown();
  }
  assert.deepEqual(await listLeftovers({ id: b.id }), []);
}));

test('withLab tears down when the body throws', needs(LAB, async () => {
  let id = '';
  await assert.rejects(
    withLab({}, (lab) => {
      id = lab.id;
      return Promise.reject(new Error('boom'));
    }),
    /boom/,
  );
  assert.deepEqual(await listLeftovers({ id }), []);
}));
