// Real-kernel tests of the route backend in throwaway namespaces: add/list/flush, rollback, and no SYN-ACK to banned sources.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exec, execOrThrow } from '../core/exec.js';
import { withLab } from '../lab/topology.js';
import { startVictimServer } from '../lab/victim.js';
import { canConnect } from '../testing/connect-probe.js';
import { RouteEnforcer } from './route.js';
import { withNs } from '../testing/test-ns.js';
import { wallClock } from '../testing/clock.js';
import { LAB, NETNS, needs } from '../testing/needs.js';

const sorted = (bans: { value: string }[]): string[] => bans.map((b) => b.value).sort();

describe('route backend in a namespace', () => {
  it('adds, lists (no expiry), deletes, flushes and leaves foreign routes alone', needs(NETNS, async () => {
    await withNs(async (ns) => {
      await execOrThrow('ip', ['route', 'add', 'blackhole', '198.18.77.0/24'], { netns: ns });
      const e = new RouteEnforcer({ netns: ns });
      assert.deepEqual(await e.check(), { ok: true });
      await e.init();
      const until = wallClock() + 60_000;
      for (const [value, family] of [['198.18.2.2/32', 4], ['198.18.100.0/24', 4], ['2001:db8::5/128', 6], ['2001:db8:1::/64', 6]] as const) {
        e.add({ value, family, until });
      }
      assert.deepEqual(await e.commit(wallClock()), { added: 4, deleted: 0 });
      const listed = await e.list(wallClock());
      assert.deepEqual(sorted(listed), ['198.18.100.0/24', '198.18.2.2/32', '2001:db8:1::/64', '2001:db8::5/128']);
      assert.ok(listed.every((b) => b.until === null));
      e.add({ value: '198.18.2.2', family: 4, until }); // already there: nothing to do
      e.delete('198.18.100.0/24');
      e.delete('198.18.44.0/24'); // absent: nothing to do
      assert.deepEqual(await e.commit(wallClock()), { added: 0, deleted: 1 });
      assert.deepEqual(sorted(await e.list(wallClock())), ['198.18.2.2/32', '2001:db8:1::/64', '2001:db8::5/128']);
      await e.shutdown();
      assert.deepEqual(await e.list(wallClock()), []);
      const left = await exec('ip', ['route', 'show'], { netns: ns });
      assert.match(left.stdout, /blackhole 198\.18\.77\.0\/24/, 'the foreign route survives');
    });
  }));

  it('a failing batch is rolled back: the kernel keeps what it had, the buffer is kept', needs(NETNS, async () => {
    await withNs(async (ns) => {
      await execOrThrow('ip', ['route', 'add', 'blackhole', '198.18.77.0/24'], { netns: ns });
      const e = new RouteEnforcer({ netns: ns });
      const until = wallClock() + 60_000;
      e.add({ value: '198.18.9.9', family: 4, until });
      await e.commit(wallClock());
      e.delete('198.18.9.9');
      e.add({ value: '198.18.50.0/24', family: 4, until });
      e.add({ value: '198.18.77.0/24', family: 4, until }); // clashes with the foreign route: "File exists"
      e.add({ value: '198.18.60.0/24', family: 4, until });
      await assert.rejects(e.commit(wallClock()), /rolled back.*File exists/);
      assert.deepEqual(sorted(await e.list(wallClock())), ['198.18.9.9/32']);
      await execOrThrow('ip', ['route', 'del', 'blackhole', '198.18.77.0/24'], { netns: ns });
      assert.deepEqual(await e.commit(wallClock()), { added: 3, deleted: 1 });
      assert.deepEqual(sorted(await e.list(wallClock())), ['198.18.50.0/24', '198.18.60.0/24', '198.18.77.0/24']);
      await e.shutdown();
    });
  }));

  it('a banned source gets no SYN-ACK; others still connect', needs(LAB, async () => {
    await withLab({ attackers: 1 }, async (lab) => {
      const server = await startVictimServer(lab.victim.ns, { port: 8080, backlog: 128 });
      try {
        const a = lab.attackers[0]!;
        const e = new RouteEnforcer({ netns: lab.victim.ns });
        const until = wallClock() + 60_000;
        e.add({ value: a.v4[0]!, family: 4, until });
        e.add({ value: a.v6[0]!, family: 6, until });
        await e.commit(wallClock());
        assert.equal(await canConnect(a.ns, a.v4[0]!, lab.victim.v4[0]!, 8080), false, 'banned v4');
        assert.equal(await canConnect(a.ns, a.v6[0]!, lab.victim.v6[0]!, 8080), false, 'banned v6');
        assert.ok(await canConnect(lab.client.ns, lab.client.v4[0]!, lab.victim.v4[0]!, 8080), 'client v4');
        assert.ok(await canConnect(lab.client.ns, lab.client.v6[0]!, lab.victim.v6[0]!, 8080), 'client v6');
        await e.shutdown();
        assert.ok(await canConnect(a.ns, a.v4[0]!, lab.victim.v4[0]!, 8080), 'unbanned after shutdown');
      } finally {
        await server.stop();
      }
    });
  }));
});
