// synguard's table beside an existing ruleset (docs/coexist.md), in a lab namespace: an `inet filter` table with input
// policy drop that allows tcp 8080 and established traffic, and a fail2ban-style table; then synguard's table (ban
// chain, meter, output proof) with a ban. Each keeps doing its job, and `synguard off` (shutdown) removes only its own.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exec, execOrThrow } from '../core/exec.js';
import { withLab } from '../lab/topology.js';
import { startVictimServer } from '../lab/victim.js';
import { canConnect } from '../testing/connect-probe.js';
import { NftMeter, type MeterOptions } from './nft-meter.js';
import { NftablesEnforcer } from './nftables.js';
import { wallClock } from '../testing/clock.js';
import { LAB, needs } from '../testing/needs.js';

const OPEN = 8080;
const CLOSED = 9090;
const METER: MeterOptions = { perSource: 50, burst: 100, perPrefix: 400, prefixBurst: 800, proven: 1000, capProven: true, holdMs: 60_000, size: 65_536, prefixes: { ipv4: 24, ipv6: 64 } };

/** A typical host firewall (as `/etc/nftables.conf` would load it) and fail2ban's nftables action, one address banned. */
const existing = (f2bBanned: string): string => `
table inet filter {
  chain input {
    type filter hook input priority filter; policy drop;
    ct state established,related accept
    iif lo accept
    meta l4proto { icmp, ipv6-icmp } accept
    tcp dport ${OPEN} accept
  }
}
table inet f2b-table {
  set addr-set-web { type ipv4_addr; elements = { ${f2bBanned} } }
  chain f2b-chain {
    type filter hook input priority filter - 1; policy accept;
    tcp dport ${OPEN} ip saddr @addr-set-web reject
  }
}
`;

const listTable = async (ns: string, name: string): Promise<string> => execOrThrow('nft', ['list', 'table', 'inet', name], { netns: ns });

describe('synguard beside an existing nftables ruleset', () => {
  it('both keep working: bans drop, allowed clients connect, the policy still drops, off leaves the other tables', needs(LAB, async () => {
    await withLab({ attackers: 1, clientExtraAddrs: 2 }, async (lab) => {
      const ns = lab.victim.ns;
      const open = await startVictimServer(ns, { port: OPEN, backlog: 128 });
      const closed = await startVictimServer(ns, { port: CLOSED, backlog: 128 });
      const meter = new NftMeter({ netns: ns });
      try {
        const [c4 = '', , c4far = ''] = lab.client.v4;
        const c6 = lab.client.v6[0]!;
        const a = lab.attackers[0]!;
        const v4 = lab.victim.v4[0]!;
        const v6 = lab.victim.v6[0]!;
        await execOrThrow('nft', ['-f', '-'], { netns: ns, input: existing(c4far) });
        const filterBefore = await listTable(ns, 'filter');
        const f2bBefore = await listTable(ns, 'f2b-table');
        // the existing rules alone: 8080 open, 9090 dropped by the policy, fail2ban's address refused
        assert.ok(await canConnect(a.ns, a.v4[0]!, v4, OPEN), 'attacker connects before any ban');
        assert.equal(await canConnect(lab.client.ns, c4, v4, CLOSED), false, 'the input policy drops 9090');
        assert.equal(await canConnect(lab.client.ns, c4far, v4, OPEN), false, "fail2ban's ban refuses its address");

        // synguard's table: meter (-301), ban chain (raw, -300), output proof; a host ban of the attacker (v4 and v6)
        const e = new NftablesEnforcer({ netns: ns });
        await e.init();
        await meter.install(METER, ['127.0.0.0/8', '::1/128']);
        const until = wallClock() + 120_000;
        e.add({ value: a.v4[0]!, family: 4, until });
        e.add({ value: a.v6[0]!, family: 6, until });
        // a spared client: synguard's `accept` in its prerouting chain ends only that chain, not the filter table's
        e.spare(c4, until);
        await e.commit(wallClock());

        assert.equal(await canConnect(a.ns, a.v4[0]!, v4, OPEN), false, 'the v4 ban drops the attacker (port allowed by filter)');
        assert.equal(await canConnect(a.ns, a.v6[0]!, v6, OPEN), false, 'the v6 ban drops the attacker');
        assert.ok(await canConnect(lab.client.ns, c4, v4, OPEN), 'an allowed client still connects (v4)');
        assert.ok(await canConnect(lab.client.ns, c6, v6, OPEN), 'an allowed client still connects (v6)');
        assert.equal(await canConnect(lab.client.ns, c4, v4, CLOSED), false, "synguard's accept does not open the filter's policy drop");
        assert.equal(await canConnect(lab.client.ns, c4far, v4, OPEN), false, "fail2ban's ban still refuses its address");
        assert.equal(await listTable(ns, 'filter'), filterBefore, 'synguard did not touch the filter table');
        assert.equal(await listTable(ns, 'f2b-table'), f2bBefore, "synguard did not touch fail2ban's table");
        const proven = await exec('nft', ['list', 'set', 'inet', 'synguard', 'proven4'], { netns: ns });
        assert.ok(proven.stdout.includes(c4), `the output chain proved the client through the filter: ${proven.stdout}`);

        // `synguard off` / uninstall: the table goes, bans and meter with it; the other tables stay as they were
        meter.close();
        await e.shutdown();
        const tables = await execOrThrow('nft', ['list', 'tables'], { netns: ns });
        assert.deepEqual(tables.trim().split('\n').sort(), ['table inet f2b-table', 'table inet filter']);
        assert.equal(await listTable(ns, 'filter'), filterBefore);
        assert.equal(await listTable(ns, 'f2b-table'), f2bBefore);
        assert.ok(await canConnect(a.ns, a.v4[0]!, v4, OPEN), 'the attacker connects again after off');
        assert.ok(await canConnect(lab.client.ns, c4, v4, OPEN), 'the client still connects after off');
        assert.equal(await canConnect(lab.client.ns, c4, v4, CLOSED), false, 'the policy still drops 9090 after off');
        assert.equal(await canConnect(lab.client.ns, c4far, v4, OPEN), false, "fail2ban's ban still holds after off");
      } finally {
        meter.close();
        await closed.stop();
        await open.stop();
      }
    });
  }));
});
