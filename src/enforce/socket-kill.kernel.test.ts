// Real-kernel test of socket kill: a source's established connections are gone after killSockets; others stay.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exec, spawnLong, type Exec } from '../core/exec.js';
import { parseCidr } from '../core/address.js';
import { addHostAddresses, withLab, type Lab } from '../lab/topology.js';
import { startVictimServer } from '../lab/victim.js';
import { countKilled, killSockets, ssFilter } from './socket-kill.js';
import { LAB, needs } from '../testing/needs.js';

const HOLD = `
const net = require('node:net');
const [host, port, localAddress, n] = process.argv.slice(1);
let up = 0;
for (let i = 0; i < Number(n); i++) {
  const s = net.connect({ host, port: Number(port), localAddress });
  s.on('connect', () => { if (++up === Number(n)) console.log('ready'); });
  s.on('error', () => {});
}
setTimeout(() => process.exit(0), 30000);
`;

async function established(ns: string, peer: string): Promise<number> {
  const r = await exec('ss', ['-H', '-t', '-n', 'state', 'established', ...ssFilter([parseCidr(peer)])], { netns: ns });
  return countKilled(r.stdout);
}

function hold(ns: string, from: string, to: string, n: number): Promise<() => void> {
  const { child } = spawnLong(process.execPath, ['-e', HOLD, to, '8080', from, String(n)], { netns: ns });
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`connections from ${from} not up in 5 s`)), 5000);
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) {
        clearTimeout(t);
        resolve(() => child.kill('SIGKILL'));
      }
    });
  });
}

/** A lab with the victim's server listening; `run` holds connections (each hold's stop goes in `stops`, all undone after). */
async function withHolders(run: (lab: Lab, stops: (() => void)[]) => Promise<void>): Promise<void> {
  await withLab({ attackers: 1 }, async (lab) => {
    const server = await startVictimServer(lab.victim.ns, { port: 8080, backlog: 128 });
    const stops: (() => void)[] = [];
    try {
      await run(lab, stops);
    } finally {
      for (const stop of stops) stop();
      await server.stop();
    }
  });
}

describe('socket kill', () => {
  it('builds an or-filter from parsed values only', async () => {
    assert.deepEqual(ssFilter([parseCidr('::ffff:198.18.100.0/120'), parseCidr('2001:db8::/64')]), ['dst', '198.18.100.0/24', 'or', 'dst', '2001:db8::/64']);
    await assert.rejects(killSockets(['198.18.100.7 or src 0/0']), /not an IP address/);
  });

  it('destroys the established connections of banned sources only', needs([...LAB, 'ss'], async () => {
    await withHolders(async (lab, stops) => {
      const a = lab.attackers[0]!;
      stops.push(await hold(a.ns, a.v4[0]!, lab.victim.v4[0]!, 20));
      stops.push(await hold(a.ns, a.v6[0]!, lab.victim.v6[0]!, 5));
      stops.push(await hold(lab.client.ns, lab.client.v4[0]!, lab.victim.v4[0]!, 3));
      assert.equal(await established(lab.victim.ns, a.v4[0]!), 20);
      const killed = await killSockets([a.v4[0]!, `${a.v6[0]!}/128`], { netns: lab.victim.ns, chunk: 1 });
      assert.equal(killed, 25);
      assert.equal(await established(lab.victim.ns, a.v4[0]!), 0);
      assert.equal(await established(lab.victim.ns, a.v6[0]!), 0);
      assert.equal(await established(lab.victim.ns, lab.client.v4[0]!), 3, 'the client keeps its connections');
    });
  }));

  it('spares the listed peers inside a killed prefix', needs([...LAB, 'ss'], async () => {
    await withHolders(async (lab, stops) => {
      const a = await addHostAddresses(lab.attackers[0]!, 1);
      const [flooder = '', spared = ''] = a.v6;
      stops.push(await hold(a.ns, flooder, lab.victim.v6[0]!, 6));
      stops.push(await hold(a.ns, spared, lab.victim.v6[0]!, 2));
      const killed = await killSockets([`${flooder.replace(/::2$/, '::')}/64`], { netns: lab.victim.ns, except: [spared] });
      assert.equal(killed, 6);
      assert.equal(await established(lab.victim.ns, flooder), 0);
      assert.equal(await established(lab.victim.ns, spared), 2, 'the spared peer keeps its connections');
    });
  }));

  it('5,000 values at once: one listing first, ss -K only for the values with a socket; the same sockets die', needs([...LAB, 'ss'], async () => {
    await withHolders(async (lab, stops) => {
      const a = lab.attackers[0]!;
      stops.push(await hold(a.ns, a.v4[0]!, lab.victim.v4[0]!, 20));
      stops.push(await hold(a.ns, a.v6[0]!, lab.victim.v6[0]!, 5));
      stops.push(await hold(lab.client.ns, lab.client.v4[0]!, lab.victim.v4[0]!, 3));
      const others = Array.from({ length: 4998 }, (_, i) => `198.19.${i >> 8}.${i & 255}`);
      const calls: string[][] = [];
      const counting: Exec = (file, args, options) => { calls.push([file, ...args]); return exec(file, args, options); };
      const killed = await killSockets([...others.slice(0, 2500), a.v4[0]!, `${a.v6[0]!.replace(/::2$/, '::')}/64`, ...others.slice(2500)], { netns: lab.victim.ns, exec: counting });
      assert.equal(killed, 25);
      assert.equal(calls.length, 2, `one listing, one ss -K: ${calls.map((c) => c.slice(0, 6).join(' ')).join(' | ')}`);
      assert.equal(await established(lab.victim.ns, a.v4[0]!), 0);
      assert.equal(await established(lab.victim.ns, lab.client.v4[0]!), 3, 'the client keeps its connections');
    });
  }));
});
