// Captures test/fixtures/meter: the kernel meter's small sets, read twice about a second apart during four bounded floods
// in a throwaway lab (as root, after `npm run build`: node dist/testing/capture-meter.js).
import { writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { exec } from '../core/exec.js';
import { canConnect } from './connect-probe.js';
import { NftMeter } from '../enforce/nft-meter.js';
import { synFlood } from '../lab/attacks.js';
import { withLab } from '../lab/topology.js';
import { setSysctls, startVictimServer } from '../lab/victim.js';
import { fixturePath } from './fixtures.js';

const OPTS = { perSource: 50, burst: 100, perPrefix: 400, prefixBurst: 800, proven: 1000, capProven: true, holdMs: 60_000, size: 65_536, prefixes: { ipv4: 24, ipv6: 64 } };
const SETS = ['meter4', 'meter6', 'pmeter4', 'pmeter6', 'busy4', 'busy6'];

await withLab({ attackers: 2 }, async (lab) => {
  await setSysctls(lab.victim.ns, { 'net.ipv4.tcp_syncookies': 1 });
  const server = await startVictimServer(lab.victim.ns, { port: 8080, backlog: 1024 });
  const meter = new NftMeter({ netns: lab.victim.ns });
  try {
    await meter.install(OPTS, ['127.0.0.0/8', '::1/128']);
    const [a1, a2] = [lab.attackers[0]!, lab.attackers[1]!];
    await canConnect(a2.ns, a2.v4[0]!, lab.victim.v4[0]!, 8080); // proves a2
    const dump = async (tag: string) => {
      for (const s of SETS) {
        const r = await exec('nft', ['-j', 'list', 'set', 'inet', 'synguard', s], { netns: lab.victim.ns });
        writeFileSync(fixturePath('meter', `${tag}-${s}.json`).replace(/\.gz$/, ''), r.stdout);
      }
    };
    const target = lab.victim.v4[0]!;
    const floods = Promise.all([
      synFlood(a1, { target, port: 8080, pps: 2000, maxPackets: 8000, durationS: 4 }),
      synFlood(a1, { target: lab.victim.v6[0]!, port: 8080, pps: 1000, maxPackets: 4000, durationS: 4 }),
      synFlood(a1, { target, port: 8080, pps: 1500, maxPackets: 6000, durationS: 4, spoofCidr: '198.18.5.0/24' }),
      synFlood(a2, { target, port: 8080, pps: 400, maxPackets: 1600, durationS: 4 }),
    ]);
    await sleep(2000);
    await dump('t1');
    await sleep(1000);
    await dump('t2');
    await floods;
  } finally {
    meter.close();
    await server.stop();
  }
});
