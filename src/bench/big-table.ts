// `node dist/bench/big-table.js [--entries 1100000] [--bans 100000] [--seconds 15] [--cpu-prof DIR]`: the daemon
// with 100k active bans in a namespace whose socket table holds a million SYN_RECV entries or more (million-table.ts:
// a bounded spoofed flood, one entry per SYN, cookies off, entries living ~127 s). Its loop time, CPU share, RSS and
// fds from /proc and its own /metrics, and the table's size when the measurement starts and ends.
// Hardening and the kernel meter are off (cookies would cap the table, the meter drop /24s of the flood); the bans
// are IPv6 (2001:db8:ffff::/48), away from the flood's 198.19.0.0/16, so they do not shrink the table either.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Decision } from '../core/decision.js';
import { exec } from '../core/exec.js';
import { parseStatTimes } from '../observe/proc-stat.js';
import { openStore } from '../store/index.js';
import { startDaemon } from '../testing/json-lines.js';
import { halfOpenIn } from './flooded-table.js';
import { withMillionTable } from './million-table.js';
import { readDaemon, type LoopTotals } from './soak-sample.js';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: number): number => { const i = argv.indexOf(name); return i >= 0 ? Number(argv[i + 1]) : dflt; };
const bans = opt('--bans', 100_000);
const seconds = opt('--seconds', 15);
const entries = opt('--entries', 1_100_000);
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
// `--cpu-prof DIR`: the daemon writes a V8 CPU profile there when it stops.
const profDir = argv.includes('--cpu-prof') ? argv[argv.indexOf('--cpu-prof') + 1] : undefined;

/** The process's user and system CPU time so far, with its ended children's (the `ss` it runs), seconds. */
const cpuTimes = (pid: number): [number, number] => {
  const t = parseStatTimes(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  return t === null ? [NaN, NaN] : [(t.utime + t.cutime) / 100, (t.stime + t.cstime) / 100];
};

const state = mkdtempSync(join(tmpdir(), 'sg-big-table-'));
try {
  const now = Date.now();
  const store = openStore(state);
  const ds: Decision[] = Array.from({ length: bans }, (_, i) => ({ scope: 'ip', value: `2001:db8:ffff::${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}/128`, action: 'ban', reason: 'bench', evidence: [], origin: 'manual', createdAt: now, until: now + 3_600_000, offence: 1 }));
  store.decisions.insertMany(ds);
  store.close();
  const config = join(state, 'config.yaml');
  writeFileSync(config, JSON.stringify({ defender: { hardening: { enabled: false } }, detection: { synRate: { enabled: false } } }));
  const { result, packetsSent, perSenderPps, floodS, requestSockMB } = await withMillionTable(entries, async (table) => {
    const started = Date.now();
    const env = profDir ? { ...process.env, NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profDir}` } : undefined;
    const d = startDaemon(table.ns, state, ['--config', config], env);
    try {
      const pid = d.child.pid!;
      const rec = await d.waitFor((l) => l.event === 'reconcile', { ms: 60_000 });
      await d.waitFor((l) => l.event === 'http', { ms: 20_000 });
      const upS = (Date.now() - started) / 1000;
      // /metrics is answered between loop passes only (a pass reads the table synchronously): try again, and time it
      const metricsS: number[] = [];
      const reading = async (prev: LoopTotals | null): Promise<Awaited<ReturnType<typeof readDaemon>>> => {
        for (let i = 0; i < 3; i++) {
          const m0 = Date.now();
          const r = await readDaemon(pid, table.ns, state, prev, m0);
          metricsS.push((Date.now() - m0) / 1000);
          if (Number.isFinite(r.loop.count)) return r;
        }
        throw new Error("the daemon's /metrics did not answer three times in a row");
      };
      const first = await reading(null);
      const c0 = cpuTimes(pid), t0 = Date.now();
      await sleep(seconds * 1000);
      const last = await reading(first.loop);
      const c1 = cpuTimes(pid), wall = (Date.now() - t0) / 1000;
      const cpu = { user: (c1[0] - c0[0]) / wall, sys: (c1[1] - c0[1]) / wall };
      // what the kernel alone takes to print the table once (wc does next to nothing with it)
      const w0 = Date.now();
      await exec('wc', ['-l', '/proc/net/tcp'], { netns: table.ns, timeoutMs: 120_000 });
      const printS = (Date.now() - w0) / 1000;
      // and what the start-up's socket kill lists before it kills (every connected socket: SYN_RECV included)
      const s0 = Date.now();
      const ss = await exec('ss', ['-Htn', 'state', 'connected'], { netns: table.ns, timeoutMs: 120_000 });
      const ssS = (Date.now() - s0) / 1000;
      const ssMB = Buffer.byteLength(ss.stdout) / 1024 / 1024;
      const passes = last.loop.count - first.loop.count;
      const windowS = (last.reading.atMs - first.reading.atMs) / 1000;
      const ticksFailed = d.lines.filter((l) => l.event === 'tick-failed').length;
      // each event of the log: how many lines, and when the first came (s after the daemon's start)
      const events = new Map<string, { n: number; atS: number }>();
      for (const l of d.lines) {
        const e = events.get(String(l.event));
        if (e) e.n++;
        else events.set(String(l.event), { n: 1, atS: (Date.parse(String(l['time'])) - started) / 1000 });
      }
      return { before: table.size, after: await halfOpenIn(table.ns), rec, upS, cpu, printS, ssS, ssMB, metricsS, passes, windowS, events: [...events].map(([e, { n, atS }]) => `${e} ×${n} (first at ${atS.toFixed(1)} s)`).join(', '), last: last.reading, ticksFailed };
    } finally {
      d.child.kill('SIGTERM');
      await d.exited;
    }
  });
  const [load1] = loadavg();
  console.log([
    `Socket table: ${fmt(result.before)} SYN_RECV when the daemon started, ${fmt(result.after)} after the ${seconds} s measured; the flood sent ${fmt(packetsSent)} spoofed SYNs in ${floodS.toFixed(1)} s (${fmt(perSenderPps)} SYN/s, one sender); kernel memory of IPv4 request sockets (all namespaces) ${fmt(requestSockMB[0])} MB before the flood, ${fmt(requestSockMB[1])} MB after.`,
    `Daemon with ${fmt(bans)} active bans (reconcile: ${JSON.stringify({ inStore: result.rec['inStore'], inKernel: result.rec['inKernel'] })}), up and serving ${result.upS.toFixed(1)} s after its start. Node ${process.version}, load average ${load1?.toFixed(1) ?? '?'} at the end.`,
    `Between the two /metrics readings (${result.windowS.toFixed(1)} s apart): ${result.passes} loop passes, mean loop pass ${result.last.tickMs.toFixed(0)} ms. Over the ${seconds} s: daemon CPU, its ended children included, ${((result.cpu.user + result.cpu.sys) * 100).toFixed(0)}% of one core (user ${(result.cpu.user * 100).toFixed(0)}%, system ${(result.cpu.sys * 100).toFixed(0)}%), RSS ${result.last.rssMB.toFixed(0)} MB, ${result.last.fds} fds, ${result.ticksFailed} tick-failed. The kernel alone printed /proc/net/tcp once in ${result.printS.toFixed(2)} s (wc -l, after the measurement); \`ss -Htn state connected\` took ${result.ssS.toFixed(2)} s for ${result.ssMB.toFixed(0)} MB of output. Reading /metrics (a node child in the namespace) took ${result.metricsS.map((x) => `${x.toFixed(1)} s`).join(', ')}.`,
    `The daemon's log by event: ${result.events}; its reconcile line: ${JSON.stringify(result.rec)}.`,
  ].join('\n'));
} finally {
  rmSync(state, { recursive: true, force: true });
}
