// Real-kernel test of the SYN-rate meter: a bounded flood from one source is metered out; the client is not.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exec } from '../core/exec.js';
import { withLab } from '../lab/topology.js';
import { startVictimServer } from '../lab/victim.js';
import { synFlood } from '../lab/attacks.js';
import { canConnect } from './connect-probe.js';
import { NftMeter, meterScript } from './nft-meter.js';
import { NftablesEnforcer } from './nftables.js';

const skip = (await exec('hping3', ['--version'])).spawnError !== undefined ? 'hping3 not installed' : false;

describe('nft SYN-rate meter', () => {
  it('validates its numbers and allow-list', () => {
    assert.throws(() => meterScript({ synPerSecond: 0, burst: 1, banMs: 1000, allow: [] }), /positive integer/);
    assert.throws(() => meterScript({ synPerSecond: 1, burst: 1, banMs: 1000, allow: ['10.0.0.1; flush ruleset'] }), /not an IP/);
  });

  it('meters out a flooding source at line rate, never an allowed one', { skip }, async () => {
    await withLab({ attackers: 2 }, async (lab) => {
      const server = await startVictimServer(lab.victim.ns, { port: 8080, backlog: 1024 });
      try {
        const [a1, a2] = [lab.attackers[0]!, lab.attackers[1]!];
        const bans = new NftablesEnforcer({ netns: lab.victim.ns });
        await bans.init();
        const meter = new NftMeter({ netns: lab.victim.ns });
        await meter.install({ synPerSecond: 200, burst: 200, banMs: 60_000, allow: [`${a2.v4[0]!}/32`] });
        await bans.init(); // re-initialising the ban chain leaves the meter in place
        const flood = { target: lab.victim.v4[0]!, port: 8080, pps: 1000, maxPackets: 2000, durationS: 5 };
        await Promise.all([synFlood(a1, flood), synFlood(a2, flood)]);
        const metered = await meter.read(Date.now());
        assert.deepEqual(metered.map((b) => b.value), [`${a1.v4[0]!}/32`]);
        assert.ok(metered[0]!.until! > Date.now() + 50_000);
        assert.equal(await canConnect(a1.ns, a1.v4[0]!, lab.victim.v4[0]!, 8080), false, 'metered source is dropped');
        assert.ok(await canConnect(lab.client.ns, lab.client.v4[0]!, lab.victim.v4[0]!, 8080), 'client still connects');
        await meter.remove();
        assert.ok(await canConnect(a1.ns, a1.v4[0]!, lab.victim.v4[0]!, 8080), 'meter removed');
        await bans.shutdown();
      } finally {
        await server.stop();
      }
    });
  });
});
