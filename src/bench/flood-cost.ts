// `node dist/bench/flood-cost.js [--before DIST] [--rounds N] [--daemon-seconds S]`: during a real flood (150k+
// SYN_RECV in a lab namespace, flooded-table.ts), the whole `synguard status --json --interval 0` process against
// `cat /proc/net/tcp{,6}` and the netstat pipeline, interleaved (with --before, the same status from another build
// in the same rounds); then the CPU share of a `synguard run --dry-run` at 1 s ticks while the table is still full
// (dry-run: it reads, decides and stores, and applies nothing, so the table stays as the flood made it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { startDaemon } from '../testing/json-lines.js';
import { withFloodedTable } from './flooded-table.js';
import { cpuTicks, median, round, type Contender, type Timing } from './measure.js';

const argv = process.argv.slice(2);
const opt = (name: string): string | undefined => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const before = opt('--before');
const rounds = Number(opt('--rounds') ?? 5);
const daemonSeconds = Number(opt('--daemon-seconds') ?? 15);
const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const PIPELINE = "netstat -ntu | awk '{print $5}' | cut -d: -f1 | sort | uniq -c | sort -n > /dev/null";

const { result, packetsSent } = await withFloodedTable(async (table) => {
  const ns = table.ns;
  const status = (main: string): string[] => [main, 'status', '--json', '--interval', '0'];
  const contenders: Contender[] = [
    { name: 'cat /proc/net/tcp /proc/net/tcp6', file: 'sh', args: ['-c', 'cat /proc/net/tcp /proc/net/tcp6 > /dev/null'], options: { netns: ns } },
    { name: 'netstat pipeline', file: 'sh', args: ['-c', PIPELINE], options: { netns: ns } },
    { name: 'synguard status (this build)', file: process.execPath, args: status(CLI), options: { netns: ns } },
    ...(before ? [{ name: 'synguard status (before)', file: process.execPath, args: status(join(resolve(before), 'cli/main.js')), options: { netns: ns } }] : []),
  ];
  const t = new Map<string, Timing>();
  for (let i = 0; i < rounds && !table.done(); i++) await round(contenders, t);
  const done = t.get(contenders[0]!.name)?.wallMs.length ?? 0;
  const cat = median(t.get(contenders[0]!.name)?.wallMs ?? []);
  const rows = contenders.map((c) => {
    const ms = median(t.get(c.name)?.wallMs ?? []);
    return `| ${c.name} | ${ms.toFixed(0)} | ${(ms / cat).toFixed(2)}x |`;
  });
  // The daemon at 1 s ticks while the entries are still there (they last ~60 s after the flood with 5 SYN-ACK retries).
  const state = mkdtempSync(join(tmpdir(), 'sg-flood-cost-'));
  const daemon = startDaemon(ns, state, ['--dry-run']);
  let cpu = NaN;
  try {
    const pid = daemon.child.pid;
    if (pid === undefined) throw new Error('the daemon did not start');
    await daemon.waitFor((l) => l.event === 'reconcile' || l.event === 'start', { ms: 20_000, what: 'the daemon start' });
    await sleep(3000);
    const t0 = Date.now(), c0 = cpuTicks(pid);
    await sleep(daemonSeconds * 1000);
    cpu = (cpuTicks(pid) - c0) / 100 / ((Date.now() - t0) / 1000);
  } finally {
    daemon.child.kill('SIGTERM');
    await daemon.exited;
    rmSync(state, { recursive: true, force: true });
  }
  return { size: table.size, done, rows, cpu };
});

console.log([
  `Table: ${result.size.toLocaleString('en-US')} SYN_RECV entries when measured; ${result.done} interleaved rounds; flood sent ${packetsSent.toLocaleString('en-US')} spoofed SYNs. Node ${process.version}.`,
  '',
  '| command (whole process) | median ms | vs cat |',
  '|---|---:|---:|',
  ...result.rows,
  '',
  `Daemon (\`run --dry-run\`, 1 s ticks) on that table, the \`ss\` it runs included: ${(result.cpu * 100).toFixed(1)}% of one core over ${daemonSeconds} s.`,
].join('\n'));
