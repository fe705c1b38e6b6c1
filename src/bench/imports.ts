// `node dist/bench/imports.js [ROUNDS]`: what each dependency and each entry point costs at start-up. Each import runs
// in a fresh `node --input-type=module -e` process, in interleaved rounds; printed: the RSS after the import, the time
// the import took inside the process, and the whole process's wall time (Node's own start-up included).
import { performance } from 'node:perf_hooks';
import { exec } from '../core/exec.js';
import { median } from './measure.js';

const rounds = Number(process.argv[2] ?? 5);
const dist = (path: string): string => new URL(`../${path}`, import.meta.url).href;
const TARGETS: ReadonlyArray<readonly [label: string, url: string | null]> = [
  ['Node itself (no import)', null],
  ...['zod', 'prom-client', 'yaml', 'ipaddr.js', 'better-sqlite3', 'commander'].map((p) => [p, import.meta.resolve(p)] as const),
  ['`dist/cli/status.js` (what `synguard status` needs)', dist('cli/status.js')],
  ['`dist/daemon/run.js` (the daemon, HTTP and all)', dist('daemon/run.js')],
  ['`dist/cli/main.js` (every command; it prints its usage)', dist('cli/main.js')],
];
const MARK = 'synguard-bench-import ';
const child = (url: string | null): string => `const t = performance.now();
${url === null ? '' : `await import(${JSON.stringify(url)});`}
process.stdout.write('\\n${MARK}' + JSON.stringify({ ms: performance.now() - t, rssMB: process.memoryUsage().rss / 1048576 }) + '\\n');`;

const seen = new Map<string, { ms: number[]; rssMB: number[]; wallMs: number[] }>(TARGETS.map(([label]) => [label, { ms: [], rssMB: [], wallMs: [] }]));
for (let r = 0; r < rounds; r++) {
  for (const [label, url] of TARGETS) {
    const started = performance.now();
    const res = await exec(process.execPath, ['--input-type=module', '-e', child(url)], { timeoutMs: 60_000 });
    const wallMs = performance.now() - started;
    const line = res.stdout.split('\n').find((l) => l.startsWith(MARK));
    if (!line) throw new Error(`${label}: no measurement (exit ${String(res.exitCode)}): ${res.stderr.trim().slice(0, 300)}`);
    const m = JSON.parse(line.slice(MARK.length)) as { ms: number; rssMB: number };
    const s = seen.get(label)!;
    s.ms.push(m.ms);
    s.rssMB.push(m.rssMB);
    s.wallMs.push(wallMs);
  }
}
console.log([
  `Medians of ${rounds} interleaved rounds, Node ${process.version}:`,
  '',
  '| import | RSS | import time | whole process |',
  '|---|---:|---:|---:|',
  ...TARGETS.map(([label]) => {
    const s = seen.get(label)!;
    const importMs = label === TARGETS[0]![0] ? '-' : `${median(s.ms).toFixed(0)} ms`;
    return `| ${label} | ${median(s.rssMB).toFixed(1)} MB | ${importMs} | ${median(s.wallMs).toFixed(0)} ms |`;
  }),
].join('\n'));
