// Benchmark child: one snapshot plus aggregation of the given socket-table files; prints its time and peak RSS.
import { performance } from 'node:perf_hooks';
import { resourceUsage } from 'node:process';
import { configFrom } from '../config/load.js';
import { buildReport } from '../detect/report.js';
import { buildSnapshot } from '../detect/snapshot.js';
import { readSocketTables } from '../observe/read-socket-table.js';
import { SocketTally } from '../observe/socket-tally.js';

const paths = process.argv.slice(2);
const config = configFrom({});
const start = performance.now();
const tally = new SocketTally();
const table = await readSocketTables(tally, paths);
const snapshot = buildSnapshot(
  { takenAt: Date.now(), tally, tableBadLines: table.badLines, listeners: { ok: false, error: 'not read' }, counters: {}, counterBadLines: 0, sysctls: {}, links: {} },
  config.prefixes,
);
const report = buildReport(undefined, snapshot, config.assessment, 10);
const ms = performance.now() - start;
process.stdout.write(`${JSON.stringify({ ms, maxRssMB: resourceUsage().maxRSS / 1024, rows: table.rows, halfOpen: snapshot.halfOpen, sources: report.totals.sources, kind: report.assessment.kind })}\n`);
