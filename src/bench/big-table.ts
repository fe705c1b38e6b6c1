// `node dist/bench/big-table.js [--bans 100000] [--seconds 15]`: the daemon with 100k active bans while a real spoofed
// flood fills its namespace's socket table (flooded-table.ts: cookies off, backlog 262144, as large as two hping3
// senders make it here in a bounded 30 s flood). Its loop time, CPU share and RSS from /proc and its own /metrics.
// Hardening and the kernel meter are off (cookies would cap the table, the meter drop /24s of the flood); the bans
// are IPv6 (2001:db8:ffff::/48), away from the flood's 198.19.0.0/16, so they do not shrink the table either.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { exec } from '../core/exec.js';
import type { Decision } from '../core/decision.js';
import { openStore } from '../store/index.js';
import { startDaemon } from '../testing/json-lines.js';
import { withFloodedTable } from './flooded-table.js';
import { readDaemon } from './soak-sample.js';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: number): number => { const i = argv.indexOf(name); return i >= 0 ? Number(argv[i + 1]) : dflt; };
const bans = opt('--bans', 100_000);
const seconds = opt('--seconds', 15);
const SNAP = fileURLToPath(new URL('./snap-once.js', import.meta.url));

const cpuTicks = (pid: number): number => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const x = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return Number(x[11]) + Number(x[12]);
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
  const { result, packetsSent } = await withFloodedTable(async (table) => {
    const d = startDaemon(table.ns, state, ['--config', config]);
    try {
      const pid = d.child.pid!;
      const rec = await d.waitFor((l) => l.event === 'reconcile', { ms: 60_000 });
      await d.waitFor((l) => l.event === 'http', { ms: 20_000 });
      const first = await readDaemon(pid, table.ns, state, null, Date.now());
      const c0 = cpuTicks(pid), t0 = Date.now();
      await sleep(seconds * 1000);
      const last = await readDaemon(pid, table.ns, state, first.loop, Date.now());
      const cpu = (cpuTicks(pid) - c0) / 100 / ((Date.now() - t0) / 1000);
      const snap = await exec(process.execPath, [SNAP, '/proc/net/tcp', '/proc/net/tcp6'], { netns: table.ns });
      const after = (JSON.parse(snap.stdout) as { halfOpen: number }).halfOpen;
      return { before: table.size, after, rec, cpu, last: last.reading, floodOver: table.done(), ticksFailed: d.lines.filter((l) => l.event === 'tick-failed').length };
    } finally {
      d.child.kill('SIGTERM');
      await d.exited;
    }
  });
  console.log([
    `Daemon with ${bans.toLocaleString('en-US')} active bans (reconcile: ${JSON.stringify({ inStore: result.rec['inStore'], inKernel: result.rec['inKernel'] })}) on a socket table of ${result.before.toLocaleString('en-US')} SYN_RECV when it started and ${result.after.toLocaleString('en-US')} after ${seconds} s${result.floodOver ? ' (the flood had ended)' : ''}; the flood sent ${packetsSent.toLocaleString('en-US')} spoofed SYNs. Node ${process.version}.`,
    `Over ${seconds} s: mean loop pass ${result.last.tickMs.toFixed(0)} ms, daemon CPU ${(result.cpu * 100).toFixed(0)}% of one core, RSS ${result.last.rssMB.toFixed(0)} MB, ${result.last.fds} fds, ${result.ticksFailed} tick-failed.`,
  ].join('\n'));
} finally {
  rmSync(state, { recursive: true, force: true });
}
