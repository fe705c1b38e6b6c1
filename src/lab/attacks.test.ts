// Floods for real: spoofed sources stay inside the given prefix, checksums stay valid, and every flood stops by itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withLab } from './topology.js';
import { synFlood } from './attacks.js';
import { captureSyns } from './syn-capture.js';
import { insideLabRanges } from './flood-args.js';
import { vethName } from './names.js';
import { networkOf } from '../core/address.js';
import { wallClock } from '../testing/clock.js';
import { FLOODS, needs } from '../testing/needs.js';


test('SYN floods arrive at the victim with the promised sources and valid checksums', { timeout: 60_000 }, needs(FLOODS, async () => {
  await withLab({}, async (lab) => {
    const attacker = lab.attackers[0]!;
    const dev = vethName(lab.id, 'v', 2); // the victim's end of attacker 1's link
    const cases = [
      { target: lab.victim.v4[0]!, spoofCidr: '198.19.0.0/16', prefix: 16, distinct: 150 },
      { target: lab.victim.v6[0]!, spoofCidr: `${networkOf(attacker.v6[0]!, 64)}/64`, prefix: 64, distinct: 150 },
      { target: lab.victim.v4[0]!, spoofCidr: undefined, prefix: 32, distinct: 1 },
      { target: lab.victim.v6[0]!, spoofCidr: undefined, prefix: 128, distinct: 1 },
    ];
    for (const c of cases) {
      const capture = captureSyns(lab.victim.ns, dev, 200, 8);
      await capture.ready;
      const started = wallClock();
      const flood = await synFlood(attacker, { target: c.target, port: 8080, pps: 1000, maxPackets: 400, durationS: 3, ...(c.spoofCidr ? { spoofCidr: c.spoofCidr } : {}) });
      assert.ok(wallClock() - started < 6000, 'the flood stopped by itself');
      assert.ok(flood.packetsSent >= 200 && flood.packetsSent <= 400, `sent ${flood.packetsSent} (at most maxPackets)`);
      const syns = await capture.result;
      const what = `${c.target} ${c.spoofCidr ?? 'real source'}`;
      assert.ok(syns.length >= 150, `${what}: captured ${syns.length} of ${flood.packetsSent}`);
      assert.ok(syns.every((s) => s.ipOk && s.tcpOk), `${what}: bad checksum`);
      const expected = networkOf((c.spoofCidr ?? (c.target.includes(':') ? attacker.v6[0] : attacker.v4[0]) ?? '').split('/')[0]!, c.prefix);
      assert.ok(syns.every((s) => networkOf(s.src, c.prefix) === expected), `${what}: source outside ${expected}/${c.prefix}`);
      assert.ok(syns.every((s) => insideLabRanges(s.src)));
      assert.ok(new Set(syns.map((s) => s.src)).size >= c.distinct, `${what}: too few distinct sources`);
    }
  });
}));

test('a flood outside the lab ranges is refused before anything is sent', async () => {
  const host = { ns: 'sgl-000000-a1', v4: ['198.18.2.2'], v6: [] };
  await assert.rejects(synFlood(host, { target: '10.0.0.1', port: 80, pps: 10, maxPackets: 10, durationS: 1 }), /outside the lab ranges/);
  await assert.rejects(synFlood(host, { target: '198.18.0.1', port: 80, pps: 10, maxPackets: 10, durationS: 1, spoofCidr: '0.0.0.0/0' }), /outside the lab ranges/);
});
