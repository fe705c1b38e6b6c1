// `node dist/bench/soak.js [--minutes 15] [--sample-s 10] [--csv FILE]`: the daemon under a sustained mixed flood,
// its resources sampled, a least-squares slope per minute for each. In `npm run bench` it is opt-in (it takes 15
// minutes): `SYNGUARD_SOAK_MINUTES=15 npm run bench` runs it last, `npm run bench:soak` alone (docs/benchmarks.md).
//
// A lab (victim + 3 attackers, torn down however the run ends) and `synguard run` in the victim namespace with its
// own state directory and 20 s bans (factor 1), so bans are made and expire all the time. Every 30 s cycle, each flood
// bounded in time (≤ 30 s) and packets: a spoofed SYN flood from 198.19.0.0/16 (hardening, never bans); two
// real-source SYN floods from rotating addresses of attacker 2 (the kernel meter drops them, the daemon bans);
// a connection flood from a rotating address of attacker 3 (banned, sockets killed).
import { cpus, release } from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { synFlood } from '../lab/attacks.js';
import { connectionFlood } from '../lab/load.js';
import { addHostAddresses, withLab, type Lab } from '../lab/topology.js';
import { setSysctls, startVictimServer } from '../lab/victim.js';
import { startDaemon } from '../testing/json-lines.js';
import { slopePerMinute } from './slope.js';
import { readDaemon, type LoopTotals, type Reading } from './soak-sample.js';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: number): number => { const i = argv.indexOf(name); return i >= 0 ? Number(argv[i + 1]) : dflt; };
const asked = process.env['SYNGUARD_SOAK_MINUTES'];
if (argv.includes('--when-asked') && !asked) {
  console.log('Soak: skipped (SYNGUARD_SOAK_MINUTES=15 npm run bench, or npm run bench:soak, runs it).');
  process.exit(0);
}
const minutes = opt('--minutes', Number(asked ?? 15));
const sampleS = opt('--sample-s', 10);
const csvAt = argv.indexOf('--csv');
const csv = csvAt >= 0 ? argv[csvAt + 1] : undefined;
if (!(minutes >= 1 && minutes <= 120)) throw new RangeError(`--minutes takes 1 to 120, got ${minutes}`);
if (!(sampleS >= 1 && sampleS <= 60)) throw new RangeError(`--sample-s takes 1 to 60, got ${sampleS}`);

const PORT = 8080;
const CYCLE_S = 30;
const CONFIG = { defender: { bans: { base: '20s', factor: 1, max: '20s', memory: '1m' } } };

interface Totals { spoofedSyns: number; realSyns: number; connections: number; failedFloods: string[] }

/** One 30 s cycle of bounded floods, all at once; a flood that fails is noted, never ends the soak. */
async function cycle(lab: Lab, real: readonly string[], conn: readonly string[], i: number, t: Totals): Promise<void> {
  const target = lab.victim.v4[0]!;
  const [spoofer, realHost, connHost] = [lab.attackers[0]!, lab.attackers[1]!, lab.attackers[2]!];
  const runs = await Promise.allSettled([
    synFlood(spoofer, { target, port: PORT, pps: 1500, maxPackets: 1500 * 27, durationS: 27, spoofCidr: '198.19.0.0/16' })
      .then((r) => { t.spoofedSyns += r.packetsSent; }),
    (async () => {
      for (const k of [0, 1]) {
        await sleep(2000);
        const src = real[(2 * i + k) % real.length]!;
        t.realSyns += (await synFlood(realHost, { target, port: PORT, pps: 300, maxPackets: 300 * 8, durationS: 8, spoofCidr: `${src}/32` })).packetsSent;
      }
    })(),
    (async () => {
      await sleep(5000);
      const r = await connectionFlood(connHost, { target, port: PORT, rate: 60, maxConnections: 900, durationS: 15, sources: [conn[i % conn.length]!] });
      t.connections += r.opened;
    })(),
  ]);
  for (const r of runs) if (r.status === 'rejected') t.failedFloods.push(String((r.reason as Error).message ?? r.reason).slice(0, 160));
}

const fmt = (x: number, digits = 1): string => (Number.isFinite(x) ? x.toFixed(digits) : '-');
const signed = (x: number, digits: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(digits)}` : '-');

function row(name: string, unit: string, rs: readonly Reading[], pick: (r: Reading) => number, digits: number): string {
  const pts = rs.map((r) => ({ atMs: r.atMs, value: pick(r) })).filter((p) => Number.isFinite(p.value));
  const vals = pts.map((p) => p.value);
  const half = pts.filter((p) => p.atMs >= (pts[0]?.atMs ?? 0) + (minutes * 60_000) / 2);
  return `| ${name} | ${fmt(vals[0] ?? NaN, digits)} | ${fmt(vals[vals.length - 1] ?? NaN, digits)} | ${fmt(Math.min(...vals), digits)}–${fmt(Math.max(...vals), digits)} | ${signed(slopePerMinute(pts), digits + 1)} ${unit}/min | ${signed(slopePerMinute(half), digits + 1)} ${unit}/min |`;
}

const started = new Date();
const result = await withLab({ attackers: 3 }, async (lab) => {
  const ns = lab.victim.ns;
  await setSysctls(ns, { 'net.ipv4.tcp_syncookies': 1 });
  const server = await startVictimServer(ns, { port: PORT, backlog: 511 });
  const state = mkdtempSync(join(tmpdir(), 'sg-soak-'));
  const configPath = join(state, 'config.yaml');
  writeFileSync(configPath, JSON.stringify(CONFIG));
  const real = (await addHostAddresses(lab.attackers[1]!, 5)).v4;
  const conn = (await addHostAddresses(lab.attackers[2]!, 3)).v4;
  const d = startDaemon(ns, state, ['--config', configPath]);
  const readings: Reading[] = [];
  const totals: Totals = { spoofedSyns: 0, realSyns: 0, connections: 0, failedFloods: [] };
  try {
    const pid = d.child.pid;
    if (pid === undefined) throw new Error('the daemon did not start');
    await d.waitFor((l) => l.event === 'http', { ms: 20_000, what: 'the HTTP listener' });
    await d.waitFor((l) => l.event === 'reconcile', { ms: 20_000, what: 'the start-up reconcile' });
    const t0 = Date.now(), endAt = t0 + minutes * 60_000;
    let sampling = true;
    const sampler = (async () => {
      let prev: LoopTotals | null = null;
      for (let next = Date.now(); sampling; next += sampleS * 1000) {
        await sleep(Math.max(0, next - Date.now()));
        const { reading, loop } = await readDaemon(pid, ns, state, prev, Date.now());
        prev = loop;
        readings.push(reading);
        if (readings.length % 6 === 1) console.error(`soak ${((reading.atMs - t0) / 60_000).toFixed(1)} min: RSS ${fmt(reading.rssMB)} MB, fds ${reading.fds}, db ${fmt(reading.dbMB, 2)} + wal ${fmt(reading.walMB, 2)} MB, tick ${fmt(reading.tickMs)} ms, bans ${reading.bansActive} active / ${reading.bansIssued} issued / ${reading.bansExpired} expired`);
      }
    })();
    for (let i = 0; Date.now() + CYCLE_S * 1000 <= endAt; i++) await cycle(lab, real, conn, i, totals);
    await sleep(Math.max(0, endAt - Date.now()));
    sampling = false;
    await sampler;
    const lines = d.lines;
    const count = (event: string) => lines.filter((l) => l.event === event).length;
    return { readings, totals, logged: { bans: count('ban'), tickFailed: count('tick-failed'), commitFailed: count('commit-failed'), errors: lines.filter((l) => l['level'] === 'error').length, lines: lines.length }, alive: d.child.exitCode === null };
  } finally {
    d.child.kill('SIGTERM');
    const timer = setTimeout(() => d.child.kill('SIGKILL'), 5000);
    await d.exited;
    clearTimeout(timer);
    await server.stop();
    rmSync(state, { recursive: true, force: true });
  }
});

const rs = result.readings;
if (csv) writeFileSync(csv, ['t_s,rss_mb,fds,db_mb,wal_mb,tick_ms,bans_active,bans_issued,bans_expired', ...rs.map((r) => [((r.atMs - rs[0]!.atMs) / 1000).toFixed(0), fmt(r.rssMB, 2), r.fds, fmt(r.dbMB, 3), fmt(r.walMB, 3), fmt(r.tickMs, 2), r.bansActive, r.bansIssued, r.bansExpired].join(','))].join('\n') + '\n');
const t = result.totals;
console.log([
  `Soak, ${started.toISOString().slice(0, 16)} UTC: ${minutes} min, ${rs.length} samples every ${sampleS} s. ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Linux ${release()}, Node ${process.version}.`,
  `Offered: ${t.spoofedSyns.toLocaleString('en-US')} spoofed SYNs, ${t.realSyns.toLocaleString('en-US')} SYNs from real sources, ${t.connections.toLocaleString('en-US')} flood connections opened; ${t.failedFloods.length} flood runs failed${t.failedFloods.length ? ` (first: ${t.failedFloods[0]})` : ''}.`,
  `Daemon: ${result.alive ? 'up at the end' : 'EXITED'}; ${result.logged.bans} ban lines, ${result.logged.tickFailed} tick-failed, ${result.logged.commitFailed} commit-failed, ${result.logged.errors} error lines of ${result.logged.lines}.`,
  '',
  '| reading | first | last | range | slope (least squares, whole run) | slope (second half) |',
  '|---|---:|---:|---:|---:|---:|',
  row('daemon RSS', 'MB', rs, (r) => r.rssMB, 1),
  row('open fds', 'fds', rs, (r) => r.fds, 0),
  row('SQLite db file', 'MB', rs, (r) => r.dbMB, 2),
  row('SQLite -wal file', 'MB', rs, (r) => r.walMB, 2),
  row('mean tick (per sample window)', 'ms', rs, (r) => r.tickMs, 1),
  row('active bans', 'bans', rs, (r) => r.bansActive, 0),
  row('bans issued (cumulative)', 'bans', rs, (r) => r.bansIssued, 0),
  row('bans expired (cumulative)', 'bans', rs, (r) => r.bansExpired, 0),
  '',
  `Database file growth per ban issued: ${fmt((1024 * ((rs[rs.length - 1]?.dbMB ?? NaN) - (rs[0]?.dbMB ?? NaN))) / Math.max(1, rs[rs.length - 1]?.bansIssued ?? 0))} KB (decisions and events are records, kept; the -wal file is checkpointed by SQLite at about 4 MB).`,
].join('\n'));
