// `node dist/bench/meter.js [--runs N] [--only reaction|cost]`: the kernel's first line against the daemon-only path, side by side.
// 1. Reaction on the wire: a concentrated 2,000 SYN/s flood against `synguard run` with defaults (meter on) and with
//    detection.synRate.enabled false (the socket table each tick): SYN-ACKs the victim sent to the flood's distinct
//    source ports, counted in the attacker's namespace, divided by the rate = how long the kernel kept answering.
// 2. The meter's cost under a spoofed flood from 65,536 sources, the daemon running, meter off then on, interleaved:
//    the SYN rate the victim took in, the machine's CPU, the daemon's CPU (with its nft reader) and its tick time.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { exec } from '../core/exec.js';
import { synFlood } from '../lab/attacks.js';
import { countSynAcks } from '../lab/synack-count.js';
import { withLab } from '../lab/topology.js';
import { setSysctls, startVictimServer } from '../lab/victim.js';
import { startDaemon } from '../testing/json-lines.js';
import { tempDir } from '../testing/temp.js';
import { cpuTicks, machineTicks, median } from './measure.js';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] ?? 5) || 5;
const PPS = 2000;
const HZ = 100; // USER_HZ
/** Below what hping3 reaches here (about 8,000/s at full speed), so both modes get the same offered load. */
const COST_PPS = 5000;

type Mode = 'meter on (defaults)' | 'meter off (daemon only)';
const MODES: Mode[] = ['meter on (defaults)', 'meter off (daemon only)'];

/** utime + stime of a process and its direct children (the daemon's `nft -i`), in clock ticks. */
function treeTicks(pid: number): number {
  const ticks = (p: number): number => {
    try {
      return cpuTicks(p);
    } catch {
      return 0; // gone
    }
  };
  let kids: number[] = [];
  try {
    kids = readdirSync(`/proc/${pid}/task`).flatMap((t) => readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
  } catch {
    // gone
  }
  return ticks(pid) + kids.reduce((s, k) => s + ticks(k), 0);
}

async function inSegs(ns: string): Promise<number> {
  const snmp = (await exec('cat', ['/proc/net/snmp'], { netns: ns })).stdout.split('\n').filter((l) => l.startsWith('Tcp:'));
  const [head, vals] = [snmp[0]?.split(/\s+/) ?? [], snmp[1]?.split(/\s+/) ?? []];
  return Number(vals[head.indexOf('InSegs')] ?? NaN);
}

/** synguard_loop_duration_seconds sum and count from the daemon's /metrics (read inside its namespace). */
async function loop(ns: string): Promise<{ sum: number; count: number }> {
  const js = "const t = await (await fetch('http://127.0.0.1:9717/metrics')).text(); console.log(t)";
  const text = (await exec(process.execPath, ['--input-type=module', '-e', js], { netns: ns })).stdout;
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { sum: value('synguard_loop_duration_seconds_sum'), count: value('synguard_loop_duration_seconds_count') };
}

function config(mode: Mode): string {
  const dir = tempDir('sg-bench-meter-');
  const path = join(dir, 'config.yaml');
  writeFileSync(path, JSON.stringify({ detection: { synRate: { enabled: mode === MODES[0] } } }));
  return path;
}

async function reaction(mode: Mode): Promise<number> {
  return withLab({ attackers: 1 }, async (lab) => {
    await setSysctls(lab.victim.ns, { 'net.ipv4.tcp_syncookies': 1 });
    const server = await startVictimServer(lab.victim.ns, { port: 8080, backlog: 511 });
    const d = startDaemon(lab.victim.ns, tempDir('sg-bench-meter-'), ['--config', config(mode)]);
    try {
      await d.waitFor((l) => l.event === 'reconcile');
      const wire = await countSynAcks(lab.attackers[0]!);
      await synFlood(lab.attackers[0]!, { target: lab.victim.v4[0]!, port: 8080, pps: PPS, maxPackets: 8000, durationS: 4 });
      return (1000 * (await wire.count())) / PPS;
    } finally {
      d.child.kill('SIGKILL');
      await d.exited;
      await server.stop();
    }
  });
}

interface Cost { offered: number; taken: number; machine: number; kernel: number; daemon: number; tickMs: number }

async function cost(mode: Mode): Promise<Cost> {
  return withLab({ attackers: 1 }, async (lab) => {
    const ns = lab.victim.ns;
    await setSysctls(ns, { 'net.ipv4.tcp_syncookies': 1 });
    const server = await startVictimServer(ns, { port: 8080, backlog: 511 });
    const d = startDaemon(ns, tempDir('sg-bench-meter-'), ['--config', config(mode)]);
    try {
      await d.waitFor((l) => l.event === 'reconcile');
      const flood = synFlood(lab.attackers[0]!, { target: lab.victim.v4[0]!, port: 8080, pps: COST_PPS, maxPackets: COST_PPS * 14, durationS: 14, spoofCidr: '198.19.0.0/16' });
      await sleep(3000); // past the ramp and the first hardening
      const [l0, m0, s0, c0, t0] = [await loop(ns), machineTicks(), await inSegs(ns), treeTicks(d.child.pid!), Date.now()];
      await sleep(8000);
      const [m1, s1, c1, seconds, l1] = [machineTicks(), await inSegs(ns), treeTicks(d.child.pid!), (Date.now() - t0) / 1000, await loop(ns)];
      const { packetsSent } = await flood;
      return {
        offered: packetsSent / 14, taken: (s1 - s0) / seconds, machine: (m1.busy - m0.busy) / (m1.total - m0.total), kernel: (m1.kernel - m0.kernel) / (m1.total - m0.total),
        daemon: (c1 - c0) / HZ / seconds, tickMs: (1000 * (l1.sum - l0.sum)) / (l1.count - l0.count),
      };
    } finally {
      d.child.kill('SIGKILL');
      await d.exited;
      await server.stop();
    }
  });
}

const only = args[args.indexOf('--only') + 1];
const reactions = new Map<Mode, number[]>(MODES.map((m) => [m, []]));
if (only !== 'cost') for (let i = 0; i < runs; i++) for (const m of MODES) reactions.get(m)!.push(await reaction(m));
const costs = new Map<Mode, Cost[]>(MODES.map((m) => [m, []]));
if (only !== 'reaction') for (let i = 0; i < 3; i++) for (const m of [...MODES].reverse()) costs.get(m)!.push(await cost(m));

const f0 = (x: number) => x.toFixed(0);
console.log(`Reaction on the wire, concentrated ${PPS} SYN/s flood, cookies on, backlog 511, ${runs} runs each (interleaved):\n`);
console.log('| daemon | kernel kept answering the flooder: median | runs (ms) |');
console.log('|---|---:|---|');
for (const m of MODES) console.log(`| ${m} | **${f0(median(reactions.get(m)!))} ms** | ${reactions.get(m)!.map(f0).join(', ')} |`);
console.log(`\nThe meter's own cost: spoofed flood from 198.19.0.0/16 (65,536 sources) at ${COST_PPS} SYN/s, 8 s measured mid-flood, 3 runs each (interleaved), medians:\n`);
console.log('| daemon | SYNs offered /s | segments the victim took in /s | machine CPU busy | of it in the kernel (system + softirq) | daemon CPU (with its nft reader) | mean tick |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const m of MODES) {
  const c = costs.get(m)!;
  const med = (k: keyof Cost) => median(c.map((x) => x[k]));
  console.log(`| ${m} | ${f0(med('offered'))} | ${f0(med('taken'))} | ${(100 * med('machine')).toFixed(1)}% | ${(100 * med('kernel')).toFixed(1)}% | ${(100 * med('daemon')).toFixed(1)}% of a core | ${Number.isNaN(med('tickMs')) ? '-' : `${med('tickMs').toFixed(1)} ms`} |`);
}
