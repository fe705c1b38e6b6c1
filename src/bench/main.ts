// `npm run bench` (node dist/bench/main.js [--synthetic-only | --real-only] [--runs N]): snapshot plus aggregation
// against cat, ss and the classic netstat pipeline, side by side. Synthetic tables at 10k/100k/1M rows, then a real
// table of 150k+ SYN_RECV entries in a lab namespace (N separate runs of it with --runs N, their ratios side by side).
import { cpus, release } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withFloodedTable } from './flooded-table.js';
import { median, round, type Contender, type Timing } from './measure.js';
import { writeSyntheticTable } from './synthetic.js';

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

/** One run on a real table: the table's lines for the doc and the run's ratios for the summary of several runs. */
async function realTable(rounds: number): Promise<{ lines: string[]; ratios: string | null }> {
  const { result: t, packetsSent, perSenderPps } = await withFloodedTable(async (table) => {
    const ns = table.ns;
    const contenders: Contender[] = [
      { name: 'cat', file: 'sh', args: ['-c', 'cat /proc/net/tcp /proc/net/tcp6 > /dev/null'], options: { netns: ns } },
      { name: 'ss', file: 'sh', args: ['-c', 'ss -Htan > /dev/null'], options: { netns: ns } },
      { name: 'pipeline', file: 'sh', args: ['-c', PIPELINE], options: { netns: ns } },
      { name: 'synguard', file: process.execPath, args: [SNAP, '--repeat', '2', '/proc/net/tcp', '/proc/net/tcp6'], options: { netns: ns } },
    ];
    const timings = new Map<string, Timing>();
    for (let i = 0; i < rounds && !table.done(); i++) await round(contenders, timings);
    return { timings, size: table.size };
  });
  const sg = t.timings.get('synguard');
  if (!sg || sg.wallMs.length === 0) return { lines: [`(the flood ended before a round completed; table reached ${t.size} entries)`], ratios: null };
  const cat = median(t.timings.get('cat')!.wallMs), ss = median(t.timings.get('ss')!.wallMs), pipe = median(t.timings.get('pipeline')!.wallMs);
  const inner = median(sg.innerMs), warm = median(sg.warmMs), wall = median(sg.wallMs);
  const sizes = sg.extra.map((e) => Number(e['halfOpen']));
  return {
    lines: [
      `Table: ${Math.min(...sizes).toLocaleString('en-US')}–${Math.max(...sizes).toLocaleString('en-US')} SYN_RECV entries while measured (${sg.wallMs.length} interleaved rounds; flood sent ${packetsSent.toLocaleString('en-US')} spoofed SYNs from 198.19.0.0/16, ${Math.round(perSenderPps).toLocaleString('en-US')} SYN/s per hping3 sender, cookies off, backlog 262144).`,
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
    ],
    ratios: `first pass ${x(inner / cat)} cat, warm pass ${x(warm / cat)} cat; the netstat pipeline ${x(pipe / inner)} the first pass`,
  };
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
  // --runs N: N separate runs of the real table (a fresh lab and flood each), then every run's ratios side by side
  const runsAt = process.argv.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(process.argv[runsAt + 1]) : 1;
  if (!Number.isInteger(runs) || runs < 1 || runs > 10) throw new RangeError(`--runs takes a whole number from 1 to 10, got ${process.argv[runsAt + 1]}`);
  const ratios: string[] = [];
  for (let r = 1; r <= runs; r++) {
    out.push(`Real table in a lab namespace, during a spoofed flood${runs > 1 ? ` (run ${r} of ${runs})` : ''}:`, '');
    const run = await realTable(5);
    out.push(...run.lines, '');
    ratios.push(`run ${r}: ${run.ratios ?? 'no round completed'}`);
    console.error(ratios[ratios.length - 1]);
  }
  if (runs > 1) out.push('Every run against `cat` and the netstat pipeline of the same run:', '', ...ratios.map((l) => `- ${l}`));
}
console.log(out.join('\n'));
