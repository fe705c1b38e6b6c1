// Real-kernel tests of the nftables backend in throwaway namespaces: idempotent init, expiry, atomic batches, traffic.
import { appendFileSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exec, type Exec } from '../core/exec.js';
import { addHostAddresses, withLab } from '../lab/topology.js';
import { startVictimServer } from '../lab/victim.js';
import { synFlood } from '../lab/attacks.js';
import { canConnect } from '../testing/connect-probe.js';
import { NftablesEnforcer } from './nftables.js';
import { withNs } from '../testing/test-ns.js';
import { wallClock } from '../testing/clock.js';
import { LAB, NETNS, needs } from '../testing/needs.js';

const sorted = (bans: { value: string }[]): string[] => bans.map((b) => b.value).sort();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('nftables backend in a namespace', () => {
  it('init is idempotent; bans list back with their expiry; delete, flush and shutdown work', needs([...NETNS, 'nft'], async () => {
    await withNs(async (ns) => {
      const e = new NftablesEnforcer({ netns: ns });
      assert.deepEqual(await e.check(), { ok: true });
      await e.init();
      await e.init();
      const base = await exec('nft', ['list', 'chain', 'inet', 'synguard', 'prerouting'], { netns: ns });
      assert.equal(base.stdout.match(/jump/g)?.length, 2, 'two jumps in the base chain after two inits');
      const rules = await exec('nft', ['list', 'chain', 'inet', 'synguard', 'bans'], { netns: ns });
      assert.equal(rules.stdout.match(/drop/g)?.length, 2, 'two host-ban rules after two inits');
      assert.equal(rules.stdout.match(/goto prefixban/g)?.length, 2, 'two prefix-ban rules after two inits');
      const prefix = await exec('nft', ['list', 'chain', 'inet', 'synguard', 'prefixban'], { netns: ns });
      assert.equal(prefix.stdout.match(/accept/g)?.length, 2, 'two spare rules after two inits');
      assert.equal(prefix.stdout.match(/drop/g)?.length, 1, 'one drop after two inits');
      const output = await exec('nft', ['list', 'chain', 'inet', 'synguard', 'output'], { netns: ns });
      assert.equal(output.stdout.match(/goto prove/g)?.length, 1, 'one proof rule after two inits');
      const prove = await exec('nft', ['list', 'chain', 'inet', 'synguard', 'prove'], { netns: ns });
      assert.equal(prove.stdout.match(/add @proven/g)?.length, 2, 'one per family after two inits');
      const now = wallClock();
      for (const [value, family] of [['198.18.2.2/32', 4], ['198.18.100.0/24', 4], ['2001:db8::5/128', 6], ['2001:db8:1::/64', 6]] as const) {
        e.add({ value, family, until: now + 600_000 });
      }
      assert.deepEqual(await e.commit(now), { added: 4, deleted: 0 });
      const listed = await e.list(wallClock());
      assert.deepEqual(sorted(listed), ['198.18.100.0/24', '198.18.2.2/32', '2001:db8:1::/64', '2001:db8::5/128']);
      for (const b of listed) assert.ok(b.until !== null && Math.abs(b.until - (now + 600_000)) < 2000, `until of ${b.value}`);
      // A re-add updates the timeout; deleting something absent does not fail the batch.
      e.add({ value: '198.18.2.2', family: 4, until: now + 30_000 });
      e.add({ value: '2001:db8:1::/64', family: 6, until: now + 40_000 });
      e.delete('198.18.100.0/24');
      e.delete('198.18.55.55');
      e.delete('2001:db8:9::/64');
      assert.deepEqual(await e.commit(now), { added: 2, deleted: 3 });
      const after = await e.list(wallClock());
      assert.deepEqual(sorted(after), ['198.18.2.2/32', '2001:db8:1::/64', '2001:db8::5/128']);
      const host = after.find((b) => b.value === '198.18.2.2/32');
      assert.ok(host && host.until !== null && host.until < now + 31_000, 'the re-add set the shorter timeout');
      const net = after.find((b) => b.value === '2001:db8:1::/64');
      assert.ok(net && net.until !== null && net.until < now + 41_000, 'a prefix re-add sets its new timeout too');
      await e.flush();
      assert.deepEqual(await e.list(wallClock()), []);
      await e.shutdown();
      await e.shutdown();
      const tables = await exec('nft', ['list', 'tables'], { netns: ns });
      assert.equal(tables.stdout.trim(), '');
      assert.deepEqual(await e.list(wallClock()), []);
    });
  }));

  it('after a listing, bans the kernel lacks go in without the guard; held ones are still re-timed and unbanned', needs([...NETNS, 'nft'], async () => {
    await withNs(async (ns) => {
      const e = new NftablesEnforcer({ netns: ns });
      await e.init();
      const now = wallClock();
      assert.deepEqual(await e.list(now), []);
      // Someone else (an admin's nft, another enforcer) adds one behind e's back: e's unguarded add of it must not fail.
      const other = new NftablesEnforcer({ netns: ns });
      other.add({ value: '198.18.2.9', family: 4, until: now + 50_000 });
      await other.commit(now);
      for (const v of ['198.18.2.2', '198.18.2.3', '198.18.2.9', '2001:db8::7']) e.add({ value: v, family: v.includes(':') ? 6 : 4, until: now + 600_000 });
      assert.deepEqual(await e.commit(now), { added: 4, deleted: 0 });
      assert.deepEqual(sorted(await e.list(wallClock())), ['198.18.2.2/32', '198.18.2.3/32', '198.18.2.9/32', '2001:db8::7/128']);
      // Committed by e, so held: a shorter ban is re-timed through the guard, an unban deletes.
      e.add({ value: '198.18.2.2', family: 4, until: now + 30_000 });
      e.delete('198.18.2.3');
      assert.deepEqual(await e.commit(now), { added: 1, deleted: 1 });
      const after = await e.list(wallClock());
      assert.deepEqual(sorted(after), ['198.18.2.2/32', '198.18.2.9/32', '2001:db8::7/128']);
      const host = after.find((b) => b.value === '198.18.2.2/32');
      assert.ok(host && host.until !== null && host.until < now + 31_000, 'the held ban got its shorter timeout');
      // Unbanned, so certainly absent again: banned anew without the guard.
      e.add({ value: '198.18.2.3', family: 4, until: now + 600_000 });
      assert.deepEqual(await e.commit(now), { added: 1, deleted: 0 });
      assert.ok((await e.list(wallClock())).some((b) => b.value === '198.18.2.3/32'));
      await e.shutdown();
    });
  }));

  it('a 2 s ban expires in the kernel by itself', needs([...NETNS, 'nft'], async () => {
    await withNs(async (ns) => {
      const e = new NftablesEnforcer({ netns: ns });
      await e.init();
      const now = wallClock();
      e.add({ value: '198.18.7.7', family: 4, until: now + 2000 });
      e.add({ value: '198.18.8.0/24', family: 4, until: now + 2000 });
      await e.commit(now);
      assert.equal((await e.list(wallClock())).length, 2);
      await sleep(3000);
      assert.deepEqual(await e.list(wallClock()), []);
    });
  }));

  it('a batch the kernel rejects changes nothing and stays buffered for the next commit', needs([...NETNS, 'nft'], async () => {
    await withNs(async (ns) => {
      const now = wallClock();
      let poison = false;
      // The kernel itself rejects this appended element (timeout out of range), after the enforcer's own statements.
      const spiked: Exec = (file, args, o) => {
        const script = args[0] === '-f' ? args[1] : undefined; // the batch file nft is about to read
        if (poison && script !== undefined && readFileSync(script, 'utf8').includes('element')) appendFileSync(script, 'add element inet synguard ban4 { 198.18.9.9 timeout 1000000d }\n');
        return exec(file, args, o);
      };
      const e = new NftablesEnforcer({ netns: ns, exec: spiked });
      await e.init();
      e.add({ value: '198.18.3.3', family: 4, until: now + 60_000 });
      await e.commit(now);
      e.add({ value: '198.18.4.4', family: 4, until: now + 60_000 });
      e.add({ value: '198.18.5.0/24', family: 4, until: now + 60_000 });
      e.delete('198.18.3.3');
      e.add({ value: '2001:db8:5::/64', family: 6, until: now + 60_000 });
      poison = true;
      await assert.rejects(e.commit(now), /nothing applied.*out of range/);
      assert.deepEqual(sorted(await e.list(wallClock())), ['198.18.3.3/32']);
      poison = false;
      assert.deepEqual(await e.commit(now), { added: 3, deleted: 1 });
      assert.deepEqual(sorted(await e.list(wallClock())), ['198.18.4.4/32', '198.18.5.0/24', '2001:db8:5::/64']);
    });
  }));

  it('a torn listing (an element twice, another missing: a rehash between dump parts) is listed again', needs([...NETNS, 'nft'], async () => {
    await withNs(async (ns) => {
      const now = wallClock();
      let tear = 0; // how many more listings of ban4 to tear
      const lists: string[] = [];
      // The kernel's real listing, torn the way a resize between two dump parts tears it: same length, the last element
      // replaced by a copy of the first.
      const torn: Exec = async (file, args, o) => {
        const r = await exec(file, args, o);
        if (args.includes('list') && args.at(-1) === 'ban4') {
          lists.push('ban4');
          if (tear > 0) {
            tear--;
            const doc = JSON.parse(r.stdout) as { nftables: Array<{ set?: { elem?: unknown[] } }> };
            const elem = doc.nftables.find((i) => i.set)?.set?.elem;
            assert.ok(elem && elem.length === 3, 'the real listing holds the three bans');
            elem[2] = elem[0];
            return { ...r, stdout: JSON.stringify(doc) };
          }
        }
        return r;
      };
      const e = new NftablesEnforcer({ netns: ns, exec: torn });
      await e.init();
      for (const v of ['198.18.7.1', '198.18.7.2', '198.18.7.3']) e.add({ value: v, family: 4, until: now + 60_000 });
      await e.commit(now);
      tear = 2;
      assert.deepEqual(sorted(await e.list(wallClock())), ['198.18.7.1/32', '198.18.7.2/32', '198.18.7.3/32']);
      assert.equal(lists.length, 3, 'two torn listings, then a whole one');
      // Torn every time: the distinct elements, once each, after five listings.
      lists.length = 0;
      tear = 99;
      assert.deepEqual(sorted(await e.list(wallClock())), ['198.18.7.1/32', '198.18.7.2/32']);
      assert.equal(lists.length, 5);
    });
  }));

  it('drops banned sources (v4 /32 and /24, v6 /128 and /64) and no one else', needs(LAB, async () => {
    await withLab({ attackers: 1, clientExtraAddrs: 2 }, async (lab) => {
      const server = await startVictimServer(lab.victim.ns, { port: 8080, backlog: 128 });
      try {
        const [c4 = '', , c4far = ''] = lab.client.v4;
        const [c6 = '', , c6far = ''] = lab.client.v6;
        const a = lab.attackers[0]!;
        const v4 = lab.victim.v4[0]!;
        const v6 = lab.victim.v6[0]!;
        const e = new NftablesEnforcer({ netns: lab.victim.ns });
        await e.init();
        const banRules = async () => (await exec('nft', ['list', 'table', 'inet', 'synguard'], { netns: lab.victim.ns })).stdout.match(/@(ban|net)[46]/g)?.length ?? 0;
        assert.equal(await banRules(), 4, 'init writes the ban rules');
        assert.equal(await e.rest(wallClock()), true, 'no ban: at rest');
        assert.equal(await banRules(), 0, 'at rest: no packet crosses a ban lookup');
        const jumps = async () => (await exec('nft', ['list', 'chain', 'inet', 'synguard', 'prerouting'], { netns: lab.victim.ns })).stdout.match(/jump \w+/g);
        assert.deepEqual(await jumps(), ['jump synmeter'], 'nor a jump to the empty ban chain');
        for (const [from, ns, to] of [[c4far, lab.client.ns, v4], [a.v4[0]!, a.ns, v4], [c6far, lab.client.ns, v6], [a.v6[0]!, a.ns, v6]] as const) {
          assert.ok(await canConnect(ns, from, to, 8080), `${from} connects before any ban`);
        }
        const until = wallClock() + 120_000;
        e.add({ value: a.v4[0]!, family: 4, until });
        e.add({ value: a.v6[0]!, family: 6, until });
        e.add({ value: `${c4far.split('.').slice(0, 3).join('.')}.0/24`, family: 4, until });
        e.add({ value: `${c6far.replace(/::2$/, '::')}/64`, family: 6, until });
        await e.commit(wallClock());
        assert.equal(await banRules(), 4, 'the commit wrote the rules back with its bans');
        assert.deepEqual(await jumps(), ['jump synmeter', 'jump bans'], 'and the jump to them');
        assert.equal(await e.rest(wallClock()), false, 'bans in the kernel: not at rest');
        assert.equal(await canConnect(a.ns, a.v4[0]!, v4, 8080), false, 'banned v4 /32');
        assert.equal(await canConnect(a.ns, a.v6[0]!, v6, 8080), false, 'banned v6 /128');
        assert.equal(await canConnect(lab.client.ns, c4far, v4, 8080), false, 'inside banned v4 /24');
        assert.equal(await canConnect(lab.client.ns, c6far, v6, 8080), false, 'inside banned v6 /64');
        assert.ok(await canConnect(lab.client.ns, c4, v4, 8080), 'client v4 outside the bans');
        assert.ok(await canConnect(lab.client.ns, c6, v6, 8080), 'client v6 outside the bans');
        e.delete(a.v4[0]!);
        await e.commit(wallClock());
        assert.ok(await canConnect(a.ns, a.v4[0]!, v4, 8080), 'unbanned again');
      } finally {
        await server.stop();
      }
    });
  }));

  it('a client that completed a handshake is proven; spared, it passes a prefix ban, its neighbours do not; a host ban beats the spare', needs(LAB, async () => {
    await withLab({ attackers: 1 }, async (lab) => {
      const server = await startVictimServer(lab.victim.ns, { port: 8080, backlog: 128 });
      try {
        const a = await addHostAddresses(lab.attackers[0]!, 2); // .2 (first), .3, .4 and ::2, ::3, ::4 of one /24 and /64
        const [v4, v6] = [lab.victim.v4[0]!, lab.victim.v6[0]!];
        const [first4 = '', spared4 = '', other4 = ''] = a.v4;
        const [first6 = '', spared6 = '', other6 = ''] = a.v6;
        const e = new NftablesEnforcer({ netns: lab.victim.ns });
        await e.init();
        const [net4, net6] = [`${first4.split('.').slice(0, 3).join('.')}.0/24`, `${first6.replace(/::2$/, '::')}/64`];
        assert.deepEqual(await e.provenWithin(net4, 10), [], 'nobody proven yet');
        // Real connections from two addresses; the server's FIN at close proves them. A raw SYN from a third does not.
        assert.ok(await canConnect(a.ns, spared4, v4, 8080));
        assert.ok(await canConnect(a.ns, spared6, v6, 8080));
        await synFlood(a, { target: v4, port: 8080, pps: 50, maxPackets: 20, durationS: 1, spoofCidr: `${other4}/32` });
        await sleep(500);
        assert.deepEqual(await e.provenWithin(net4, 10), [spared4], 'proven: completed a handshake (SYN-only sources are not)');
        assert.deepEqual(await e.provenWithin(net6, 10), [spared6]);
        const until = wallClock() + 120_000;
        e.add({ value: net4, family: 4, until });
        e.add({ value: net6, family: 6, until });
        e.add({ value: first4, family: 4, until });
        for (const x of [spared4, spared6, first4]) e.spare(x, until);
        await e.commit(wallClock());
        assert.ok(await canConnect(a.ns, spared4, v4, 8080), 'spared v4 inside the banned /24');
        assert.ok(await canConnect(a.ns, spared6, v6, 8080), 'spared v6 inside the banned /64');
        assert.equal(await canConnect(a.ns, other4, v4, 8080), false, 'not spared: the /24 ban holds');
        assert.equal(await canConnect(a.ns, other6, v6, 8080), false, 'not spared: the /64 ban holds');
        assert.equal(await canConnect(a.ns, first4, v4, 8080), false, 'spared but host-banned: the host ban wins');
        assert.deepEqual(sorted(await e.list(wallClock())), [`${first4}/32`, net4, net6].sort(), 'spares are not bans');
        await e.flush();
        const spares = await exec('nft', ['list', 'set', 'inet', 'synguard', 'spare4'], { netns: lab.victim.ns });
        assert.doesNotMatch(spares.stdout, /elements/, 'flush empties the spare sets too');
      } finally {
        await server.stop();
      }
    });
  }));
});
