// `npm run bench`: snapshot plus aggregation against cat, ss and the classic netstat pipeline, side by side.
// Synthetic tables at 10k/100k/1M rows, then a real table of 150k+ SYN_RECV entries in a lab namespace.
import { cpus, release } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { withLab } from '../lab/topology.js';
import { setSysctls, startVictimServer } from '../lab/victim.js';
import { synFlood } from '../lab/attacks.js';
import { median, round, type Contender, type Timing } from './measure.js';
import { writeSyntheticTable } from './synthetic.js';
import { exec } from '../core/exec.js';

const SNAP = fileURLToPath(new URL('./snap-once.js', import.meta.url));
const PIPELINE = "netstat -ntu | awk '{print $5}' | cut -d: -f1 | sort | uniq -c | sort -n > /dev/null";
const f = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const x = (r: number): string => `${r.toFixed(2)}x`;

function machine(): string {
  return `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, Linux ${release()}, Node ${process.version}`;
}

async function synthetic(dir: string, rows: number, rounds: number): Promise<string> {
  const file = join(dir, `tcp-${rows}`);
  writeSyntheticTable(file, rows);
  const contenders: Contender[] = [
    { name: 'cat', file: 'sh', args: ['-c', `cat ${file} > /dev/null`] },
    { name: 'pipeline', file: 'sh', args: ['-c', `awk '{print $3}' ${file} | cut -d: -f1 | sort | uniq -c | sort -n > /dev/null`] },
    { name: 'synguard', file: process.execPath, args: [SNAP, '--repeat', '3', file] },
  ];
  const t = new Map<string, Timing>();
  for (let i = 0; i < rounds; i++) await round(contenders, t);
  rmSync(file);
  const cat = median(t.get('cat')!.wallMs), pipe = median(t.get('pipeline')!.wallMs);
  const sg = t.get('synguard')!;
  const inner = median(sg.innerMs), warm = median(sg.warmMs);
  return `| ${rows.toLocaleString('en-US')} | ${f(cat)} | ${f(pipe)} | ${f(inner)} | ${f(warm)} | ${x(pipe / inner)} | ${Math.max(...sg.rssMB).toFixed(0)} |`;
}

async function realTable(rounds: number): Promise<string[]> {
  return withLab({ attackers: 1 }, async (lab) => {
    const ns = lab.victim.ns;
    await setSysctls(ns, { 'net.ipv4.tcp_syncookies': 0, 'net.core.somaxconn': 262144, 'net.ipv4.tcp_max_syn_backlog': 262144, 'net.ipv4.tcp_synack_retries': 5 });
    const server = await startVictimServer(ns, { port: 80, backlog: 262144 });
    // Two hping3 senders from the attacker: one alone tops out near 10k SYN/s here, and the table must stay above 150k.
    // allSettled: a sender that fails must not crash the run before the lab is torn down
    const flood = Promise.allSettled([1, 2].map(() => synFlood(lab.attackers[0]!, { target: lab.victim.v4[0]!, port: 80, pps: 20_000, maxPackets: 600_000, durationS: 30, spoofCidr: '198.19.0.0/16' })));
    let done = false;
    void flood.finally(() => { done = true; });
    const probe = async (): Promise<number> => {
      const r = await exec(process.execPath, [SNAP, '/proc/net/tcp', '/proc/net/tcp6'], { netns: ns });
      return (JSON.parse(r.stdout) as { halfOpen: number }).halfOpen;
    };
    const started = Date.now();
    let size = 0;
    while (!done && (size = await probe()) < 150_000 && Date.now() - started < 20_000) await sleep(500);
    const contenders: Contender[] = [
      { name: 'cat', file: 'sh', args: ['-c', 'cat /proc/net/tcp /proc/net/tcp6 > /dev/null'], options: { netns: ns } },
      { name: 'ss', file: 'sh', args: ['-c', 'ss -Htan > /dev/null'], options: { netns: ns } },
      { name: 'pipeline', file: 'sh', args: ['-c', PIPELINE], options: { netns: ns } },
      { name: 'synguard', file: process.execPath, args: [SNAP, '--repeat', '2', '/proc/net/tcp', '/proc/net/tcp6'], options: { netns: ns } },
    ];
    const t = new Map<string, Timing>();
    for (let i = 0; i < rounds && !done; i++) await round(contenders, t);
    const packetsSent = (await flood).reduce((sum, r) => sum + (r.status === 'fulfilled' ? r.value.packetsSent : 0), 0);
    await server.stop();
    const sg = t.get('synguard');
    if (!sg || sg.wallMs.length === 0) return [`(the flood ended before a round completed; table reached ${size} entries)`];
    const cat = median(t.get('cat')!.wallMs), ss = median(t.get('ss')!.wallMs), pipe = median(t.get('pipeline')!.wallMs);
    const inner = median(sg.innerMs), warm = median(sg.warmMs), wall = median(sg.wallMs);
    const sizes = sg.extra.map((e) => Number(e['halfOpen']));
    return [
      `Table: ${Math.min(...sizes).toLocaleString('en-US')}–${Math.max(...sizes).toLocaleString('en-US')} SYN_RECV entries while measured (${sg.wallMs.length} interleaved rounds; flood sent ${packetsSent.toLocaleString('en-US')} spoofed SYNs from 198.19.0.0/16, cookies off, backlog 262144).`,
      '',
      '| command | median ms | vs cat |',
      '|---|---:|---:|',
      `| cat /proc/net/tcp /proc/net/tcp6 | ${f(cat)} | 1.00x |`,
      `| ss -Htan | ${f(ss)} | ${x(ss / cat)} |`,
      `| netstat -ntu \\| awk \\| cut \\| sort \\| uniq -c \\| sort -n | ${f(pipe)} | ${x(pipe / cat)} |`,
      `| synguard snapshot + aggregation, first pass in a fresh process (one-shot \`status\`) | ${f(inner)} | ${x(inner / cat)} |`,
      `| synguard snapshot + aggregation, warm pass (the daemon's every tick) | ${f(warm)} | ${x(warm / cat)} |`,
      `| synguard child process, whole (Node start-up + two passes) | ${f(wall)} | ${x(wall / cat)} |`,
      '',
      `Against the netstat pipeline: ${x(pipe / inner)} faster on a first pass, ${x(pipe / warm)} warm. Peak RSS ${Math.max(...sg.rssMB).toFixed(0)} MB.`,
    ];
  });
}

const args = new Set(process.argv.slice(2));
const out: string[] = [`Machine: ${machine()}`, ''];
if (!args.has('--real-only')) {
  const dir = mkdtempSync(join(tmpdir(), 'synguard-bench-'));
  try {
    out.push('Synthetic /proc/net/tcp tables (medians, ms; the file is in the page cache, so `cat` costs no kernel work here):', '');
    out.push('| rows | cat | awk\\|cut\\|sort\\|uniq pipeline | synguard first pass | synguard warm pass | pipeline ÷ synguard first pass | synguard peak RSS MB |');
    out.push('|---:|---:|---:|---:|---:|---:|---:|');
    for (const [rows, rounds] of [[10_000, 7], [100_000, 5], [1_000_000, 3]] as const) {
      out.push(await synthetic(dir, rows, rounds));
      console.error(out[out.length - 1]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  out.push('');
}
if (!args.has('--synthetic-only')) {
  out.push('Real table in a lab namespace, during a spoofed flood:', '');
  out.push(...(await realTable(5)));
}
console.log(out.join('\n'));
