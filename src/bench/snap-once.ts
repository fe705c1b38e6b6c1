// Benchmark child: snapshot plus aggregation of the given socket-table files, `--repeat K` times in one process.
// The first pass is what a one-shot `synguard status` pays (cold JIT); later passes are the daemon's steady state.
import { performance } from 'node:perf_hooks';
import { resourceUsage } from 'node:process';
import { configFrom } from '../config/load.js';
import { buildReport } from '../detect/report.js';
import { buildSnapshot } from '../detect/snapshot.js';
import { readSocketTables } from '../observe/read-socket-table.js';
import { SocketTally } from '../observe/socket-tally.js';

const args = process.argv.slice(2);
const repeatAt = args.indexOf('--repeat');
const repeat = repeatAt >= 0 ? Number(args.splice(repeatAt, 2)[1]) : 1;
const config = configFrom({});
const times: number[] = [];
let last: Record<string, unknown> = {};
for (let i = 0; i < repeat; i++) {
  const start = performance.now();
  const tally = new SocketTally();
  const table = readSocketTables(tally, args);
  const snapshot = buildSnapshot(
    { takenAt: Date.now(), tally, tableBadLines: table.badLines, listeners: { ok: false, error: 'not read' }, counters: {}, counterBadLines: 0, sysctls: {}, links: {} },
    config.prefixes,
  );
  const report = buildReport(undefined, snapshot, config.detection, 10);
  times.push(performance.now() - start);
  last = { rows: table.rows, halfOpen: snapshot.halfOpen, sources: report.totals.sources, kind: report.assessment.kind };
}
const warm = times.slice(1).sort((a, b) => a - b);
process.stdout.write(`${JSON.stringify({ ms: times[0], warmMs: warm.length ? warm[warm.length >> 1] : null, maxRssMB: resourceUsage().maxRSS / 1024, ...last })}\n`);
