// `node dist/bench/read-mode.js [ROUNDS]`: synchronous against double-buffered asynchronous reads of a real socket
// table (a spoofed flood in a lab namespace, 100k+ SYN_RECV entries), in interleaved rounds, each in a fresh process.
// Prints the medians and how much faster the synchronous reader is, first pass and warm.
import { fileURLToPath } from 'node:url';
import { withFloodedTable } from './flooded-table.js';
import { median, round, type Contender, type Timing } from './measure.js';

const READ = fileURLToPath(new URL('./read-once.js', import.meta.url));
const rounds = Number(process.argv[2] ?? 7);
const TABLES = ['/proc/net/tcp', '/proc/net/tcp6'];

const { result, packetsSent, perSenderPps } = await withFloodedTable(async (table) => {
  const contenders: Contender[] = (['sync', 'async'] as const).map((mode) => ({
    name: mode, file: process.execPath, args: [READ, '--mode', mode, '--repeat', '3', ...TABLES], options: { netns: table.ns },
  }));
  const timings = new Map<string, Timing>();
  for (let i = 0; i < rounds && !table.done(); i++) await round(contenders, timings);
  return timings;
});
const [sync, buffered] = [result.get('sync'), result.get('async')];
if (!sync || !buffered || sync.innerMs.length === 0) throw new Error('the flood ended before a round completed');
const rows = sync.extra.map((e) => Number(e['rows']));
const faster = (a: number, s: number): string => `${Math.round((a / s - 1) * 100)}%`;
const [s1, a1, sw, aw] = [median(sync.innerMs), median(buffered.innerMs), median(sync.warmMs), median(buffered.warmMs)];
console.log([
  `Table: ${Math.min(...rows).toLocaleString('en-US')}–${Math.max(...rows).toLocaleString('en-US')} rows while measured, ${sync.innerMs.length} interleaved rounds `
    + `(flood: ${packetsSent.toLocaleString('en-US')} spoofed SYNs, ${Math.round(perSenderPps).toLocaleString('en-US')} SYN/s per hping3 sender).`,
  '',
  '| reader | first pass ms | warm pass ms |',
  '|---|---:|---:|',
  `| synchronous (readSync, one 1 MiB buffer) | ${s1.toFixed(0)} | ${sw.toFixed(0)} |`,
  `| double-buffered asynchronous (fs/promises) | ${a1.toFixed(0)} | ${aw.toFixed(0)} |`,
  '',
  `Synchronous reads are ${faster(a1, s1)} faster on a first pass and ${faster(aw, sw)} warm.`,
].join('\n'));
