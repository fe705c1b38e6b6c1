// `node dist/bench/reaction.js [--runs N] [--before DIST]`: what the daemon spends answering a spoofed SYN flood. In a
// lab, the daemon guards a listener as in `spoofed-syn-cookies` (cookies on, backlog 64); 4 s after its first
// reconcile, a bounded spoofed flood (3,000 SYN/s from 198.19.0.0/16 for 12 s) starts. Every 100 ms the bench reads
// the CPU time of the daemon's whole process tree (itself, the children it waited for, and the live ones: its `nft`
// session) and the machine's fork count; per second from 3 s before the flood to 10 s into it, it prints the medians
// over the runs. With --before DIST, another build's daemon runs in the same rounds, alternated, for a side-by-side.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { cpus, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnLong } from '../core/exec.js';
import { synFlood } from '../lab/attacks.js';
import { SETTLE_MS } from '../lab/defender.js';
import { withLab } from '../lab/topology.js';
import { setSysctls, startVictimServer } from '../lab/victim.js';
import { parseStatTimes } from '../observe/proc-stat.js';
import { jsonLines } from '../testing/json-lines.js';
import { median } from './measure.js';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: string): string => { const i = argv.indexOf(name); return i >= 0 ? (argv[i + 1] ?? dflt) : dflt; };
const runs = Number(opt('--runs', '5'));
const before = opt('--before', '');
const BUILDS = [{ name: 'this build', dist: join(import.meta.dirname, '..') }, ...(before ? [{ name: 'before', dist: before }] : [])];
const FROM_S = -3, TO_S = 10, STEP_MS = 100, TICK_MS = 10;

/** CPU ms of a process tree: the root's own, and its children's (those it waited for, and the live ones). */
function treeCpuMs(root: number): { own: number; children: number } {
  const read = (p: string): string => readFileSync(p, 'utf8');
  let own = 0, children = 0;
  const walk = (pid: number): void => {
    try {
      const t = parseStatTimes(read(`/proc/${pid}/stat`));
      if (t && pid === root) { own += t.utime + t.stime; children += t.cutime + t.cstime; }
      else if (t) children += t.utime + t.stime + t.cutime + t.cstime;
      for (const task of readdirSync(`/proc/${pid}/task`)) {
        for (const child of read(`/proc/${pid}/task/${task}/children`).trim().split(/\s+/).filter(Boolean)) walk(Number(child));
      }
    } catch { /* the process ended between two reads: its time is now its parent's */ }
  };
  walk(root);
  return { own: own * TICK_MS, children: children * TICK_MS };
}

/** The machine's forks since boot (/proc/stat `processes`). */
const forks = (): number => Number(/^processes (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1] ?? NaN);

interface Trace { cpuMs: number[]; childMs: number[]; forks: number[] }

async function oneRun(dist: string): Promise<Trace> {
  return withLab({ attackers: 1 }, async (lab) => {
    const ns = lab.victim.ns;
    await setSysctls(ns, { tcp_syncookies: 1, tcp_max_syn_backlog: 128, tcp_synack_retries: 5 });
    const server = await startVictimServer(ns, { port: 8080, backlog: 64 });
    const state = mkdtempSync(join(tmpdir(), 'sg-reaction-'));
    const { child, exited } = spawnLong(process.execPath, [join(dist, 'cli/main.js'), 'run', '--state-dir', state], { netns: ns });
    try {
      await jsonLines(child).waitFor((l) => l.event === 'reconcile', { ms: 20_000, what: 'the daemon start' });
      await sleep(SETTLE_MS); // as the lab's launcher does: past the daemon's start-up
      const pid = child.pid ?? NaN;
      const samples: { at: number; cpu: { own: number; children: number }; forks: number }[] = [];
      const t0 = performance.now() - FROM_S * 1000; // the flood starts at t0
      const sampling = (async () => {
        for (let at = FROM_S * 1000; at <= TO_S * 1000; at += STEP_MS) {
          await sleep(Math.max(0, t0 + at - performance.now()));
          samples.push({ at, cpu: treeCpuMs(pid), forks: forks() });
        }
      })();
      await sleep(Math.max(0, t0 - performance.now()));
      const flood = synFlood(lab.attackers[0]!, { target: lab.victim.v4[0]!, port: 8080, pps: 3000, maxPackets: 40_000, durationS: 12, spoofCidr: '198.19.0.0/16' });
      await Promise.all([sampling, flood]);
      // Per second: the CPU and forks between the sample at its start and the one at its end.
      const at = (ms: number) => samples.find((s) => s.at >= ms);
      const cpuMs: number[] = [], childMs: number[] = [], forked: number[] = [];
      for (let s = FROM_S; s < TO_S; s++) {
        const a = at(s * 1000), b = at((s + 1) * 1000);
        const kids = a && b ? b.cpu.children - a.cpu.children : NaN;
        cpuMs.push(a && b ? b.cpu.own - a.cpu.own + kids : NaN);
        childMs.push(kids);
        forked.push(a && b ? b.forks - a.forks : NaN);
      }
      return { cpuMs, childMs, forks: forked };
    } finally {
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(kill);
      await server.stop();
      rmSync(state, { recursive: true, force: true });
    }
  });
}

const traces = new Map<string, Trace[]>(BUILDS.map((b) => [b.name, []]));
for (let r = 0; r < runs; r++) {
  for (const b of r % 2 ? [...BUILDS].reverse() : BUILDS) traces.get(b.name)!.push(await oneRun(b.dist));
}
const m = (xs: number[]) => median(xs.filter(Number.isFinite));
console.log(`${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Linux ${release()}, Node ${process.version}; ${runs} runs per build, medians.`);
console.log('The daemon\'s process tree: CPU ms per second, of it its children\'s (its nft session and what it runs), and the machine\'s forks per second (the flood\'s own start forks too, in second 0).\n');
console.log(`| second | ${BUILDS.map((b) => `${b.name}: CPU ms | children's | forks`).join(' | ')} |`);
console.log(`|---:|${BUILDS.map(() => '---:|---:|---:').join('|')}|`);
for (let i = 0; i < TO_S - FROM_S; i++) {
  const cells = BUILDS.map((b) => { const t = traces.get(b.name)!; return [t.map((x) => x.cpuMs[i] ?? NaN), t.map((x) => x.childMs[i] ?? NaN), t.map((x) => x.forks[i] ?? NaN)].map((xs) => m(xs).toFixed(0)).join(' | '); });
  console.log(`| ${FROM_S + i} | ${cells.join(' | ')} |`);
}
for (const b of BUILDS) {
  const t = traces.get(b.name)!;
  const sum = (x: Trace, from: number, to: number) => x.cpuMs.slice(from - FROM_S, to - FROM_S).reduce((s, v) => s + v, 0);
  console.log(`\n${b.name}: the flood's first 3 s ${m(t.map((x) => sum(x, 0, 3))).toFixed(0)} ms (runs: ${t.map((x) => sum(x, 0, 3)).join(', ')}); seconds 3–10 ${m(t.map((x) => sum(x, 3, 10))).toFixed(0)} ms; the 3 s before ${m(t.map((x) => sum(x, -3, 0))).toFixed(0)} ms.`);
}
