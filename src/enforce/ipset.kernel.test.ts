// Real-kernel tests of the ipset+iptables backend in throwaway namespaces (they need ipset and iptables).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exec } from '../core/exec.js';
import { withLab } from '../lab/topology.js';
import { startVictimServer } from '../lab/victim.js';
import { canConnect } from '../testing/connect-probe.js';
import { IpsetEnforcer } from './ipset.js';
import { withNs } from '../testing/test-ns.js';
import { wallClock } from '../testing/clock.js';
import { LAB, NETNS, needs } from '../testing/needs.js';

const sorted = (bans: { value: string }[]): string[] => bans.map((b) => b.value).sort();

describe('ipset backend in a namespace', () => {
  it('init is idempotent; add, update, delete, list; shutdown leaves nothing', needs([...NETNS, 'ipset', 'iptables'], async () => {
    await withNs(async (ns) => {
      const e = new IpsetEnforcer({ netns: ns });
      assert.deepEqual(await e.check(), { ok: true });
      await e.init();
      await e.init();
      const rules = await exec('iptables', ['-t', 'raw', '-S', 'PREROUTING'], { netns: ns });
      assert.equal(rules.stdout.match(/synguard/g)?.length, 2, 'one rule (set name and comment) after two inits');
      const now = wallClock();
      for (const [value, family] of [['198.18.2.2/32', 4], ['198.18.100.0/24', 4], ['2001:db8::5/128', 6], ['2001:db8:1::/64', 6]] as const) {
        e.add({ value, family, until: now + 600_000 });
      }
      assert.deepEqual(await e.commit(now), { added: 4, deleted: 0 });
      assert.deepEqual(sorted(await e.list(wallClock())), ['198.18.100.0/24', '198.18.2.2/32', '2001:db8:1::/64', '2001:db8::5/128']);
      e.add({ value: '198.18.2.2', family: 4, until: now + 30_000 });
      e.delete('198.18.100.0/24');
      e.delete('198.18.55.0/24');
      await e.commit(now);
      const after = await e.list(wallClock());
      assert.deepEqual(sorted(after), ['198.18.2.2/32', '2001:db8:1::/64', '2001:db8::5/128']);
      const host = after.find((b) => b.value === '198.18.2.2/32');
      assert.ok(host && host.until !== null && host.until <= now + 31_000, 'a re-add updates the timeout');
      await e.shutdown();
      assert.equal((await exec('ipset', ['list', '-n'], { netns: ns })).stdout.trim(), '');
      assert.doesNotMatch((await exec('iptables', ['-t', 'raw', '-S'], { netns: ns })).stdout, /synguard/);
      assert.doesNotMatch((await exec('ip6tables', ['-t', 'raw', '-S'], { netns: ns })).stdout, /synguard/);
    });
  }));

  it('drops a banned v4 prefix and v6 host, not the client', needs([...LAB, 'ipset', 'iptables'], async () => {
    await withLab({ attackers: 1 }, async (lab) => {
      const server = await startVictimServer(lab.victim.ns, { port: 8080, backlog: 128 });
      const e = new IpsetEnforcer({ netns: lab.victim.ns });
      try {
        const a = lab.attackers[0]!;
        await e.init();
        e.add({ value: `${a.v4[0]!.replace(/\.\d+$/, '.0')}/24`, family: 4, until: wallClock() + 60_000 });
        e.add({ value: a.v6[0]!, family: 6, until: wallClock() + 60_000 });
        await e.commit(wallClock());
        assert.equal(await canConnect(a.ns, a.v4[0]!, lab.victim.v4[0]!, 8080), false);
        assert.equal(await canConnect(a.ns, a.v6[0]!, lab.victim.v6[0]!, 8080), false);
        assert.ok(await canConnect(lab.client.ns, lab.client.v4[0]!, lab.victim.v4[0]!, 8080));
      } finally {
        await e.shutdown();
        await server.stop();
      }
    });
  }));
});
