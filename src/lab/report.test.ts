// Report building and its text, CSV and SVG renderings, from synthetic samples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from './scenario-load.js';
import { buildReport, timeToRecover } from './report.js';
import { renderText, wrkLines } from './render-text.js';
import type { WrkWindowResult } from './wrk-run.js';
import { timelineCsv } from './csv.js';
import { timelineSvg } from './chart.js';
import type { Sample } from './probe.js';
import type { Bucket } from './stats.js';

const scenario = parseScenario(`
description: report test
durationS: 10
bucketMs: 1000
victim: { backlog: 64, sysctls: { tcp_syncookies: 0 } }
attacks: [{ kind: syn-flood, startS: 2, stopS: 6, pps: 100, maxPackets: 1000 }]
`, 't');
const origin = 1_700_000_000_000;

/** 10 attempts per second; during [2 s, 5 s) they time out, then they are slow for a second, then fine. */
function samples(): Sample[] {
  const out: Sample[] = [];
  for (let ms = 0; ms < 10_000; ms += 100) {
    const t = origin + ms;
    if (ms >= 2000 && ms < 5000) out.push({ t, src: null, ok: false, connectMs: null, totalMs: null, error: 'connect-timeout' });
    else out.push({ t, src: null, ok: true, connectMs: ms >= 5000 && ms < 6000 ? 1000 : 1, totalMs: 2, error: null });
  }
  return out;
}

const report = buildReport({
  name: 't', scenario, labId: 'abcdef', origin, scale: 1, samples: samples(),
  steps: [{ label: 'syn-flood#1', kind: 'syn-flood', start: 2000, end: 6000, packetsSent: 400 }],
  events: [{ at: 2000, kind: 'attack-start', value: 'syn-flood#1' }],
  defender: { actions: [{ at: 3500, kind: 'ban', value: '198.18.2.2' }] },
});

test('phases carry the contract fields and the right counts', () => {
  assert.deepEqual(report.phases.map((p) => [p.name, p.start, p.end, p.legit.attempts, p.legit.succeeded]), [
    ['baseline', 0, 2000, 20, 20],
    ['attack', 2000, 6000, 40, 10],
    ['recovery', 6000, 10000, 40, 40],
  ]);
  assert.equal(report.phases[1]?.legit.p99Ms, 1000);
  assert.deepEqual(report.phases[0]?.legit.bySource, { default: { attempts: 20, succeeded: 20 } });
  assert.deepEqual(report.attack, { packetsSent: 400, steps: report.attack.steps });
});

test('time to mitigate is the first defender action after the attack start; time to recover the first lasting good bucket', () => {
  assert.equal(report.timeToMitigateMs, 1500);
  assert.equal(report.recoveryThresholdMs, 4); // 2 × max(1 ms, 2 ms floor)
  assert.equal(report.timeToRecoverMs, 4000); // bucket [6 s, 7 s) is the first good one that lasts
  assert.ok(report.events.some((e) => e.kind === 'defender'));
  // a bench's pause of the defender is on the timeline, and is no mitigation
  const paused = buildReport({
    name: 't', scenario, labId: 'abcdef', origin, scale: 1, samples: samples(), steps: [], events: [],
    defender: { actions: [{ at: 2500, kind: 'paused', value: 'SIGSTOP' }, { at: 4000, kind: 'ban', value: '198.18.2.2' }] },
  });
  assert.equal(paused.timeToMitigateMs, 2000);
  assert.ok(paused.events.some((e) => e.value === 'paused SIGSTOP'));
});

test('timeToRecover: 0 when never hurt, null when never recovered, resets on a relapse', () => {
  const b = (start: number, succeeded: number, p99: number | null): Bucket => ({ start, end: start + 1000, attempts: 10, succeeded, p50Ms: p99, p95Ms: p99, p99Ms: p99, errors: {} });
  assert.equal(timeToRecover([b(0, 10, 1), b(1000, 10, 1), b(2000, 10, 1)], 1000, 4), 0);
  assert.equal(timeToRecover([b(0, 10, 1), b(1000, 0, null), b(2000, 0, null)], 1000, 4), null);
  assert.equal(timeToRecover([b(1000, 10, 1), b(2000, 0, null), b(3000, 10, 1)], 1000, 4), 2000);
  assert.equal(timeToRecover([b(1000, 10, 9), b(2000, 10, 1)], 1000, 4), 1000);
});

test('text, CSV and SVG renderings', () => {
  const text = renderText(report);
  assert.match(text, /attack\s+2\.0s-6\.0s\s+10\/40 25%.*HURT.*connect-timeout 30/);
  assert.match(text, /baseline .* fine/);
  assert.match(text, /time to mitigate: 1\.5s/);
  const csv = timelineCsv(report).trim().split('\n');
  assert.equal(csv.length, 11);
  assert.equal(csv[0], 'start_ms,end_ms,attempts,succeeded,success_pct,p50_ms,p95_ms,p99_ms,errors,attack_on,events');
  assert.equal(csv[3], '2000,3000,10,0,0,,,,connect-timeout=10,1,attack-start: syn-flood#1');
  assert.equal(csv[1], '0,1000,10,10,100,1,1,1,,0,');
  const svg = timelineSvg(report);
  assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /<\/svg>\n$/);
  assert.equal((svg.match(/<polyline/g) ?? []).length, 1);
  assert.equal((svg.match(/<path d="M[^"]* M/g) ?? []).length, 1, 'the latency line breaks where nothing succeeded');
  assert.match(svg, /ban 198\.18\.2\.2/);
});

test('wrk\'s lines show a real server\'s processes at each window\'s start and end (no such column without them), and a wrk stopped late', () => {
  const result = { requests: 1000, durationS: 5, requestsPerSec: 200, latencyMs: { p50: 1, p75: 1.5, p90: 2, p99: 4 }, errors: { connect: 0, read: 0, write: 0, timeout: 0, non2xx3xx: 0 } };
  const rows: WrkWindowResult[] = [
    { window: 'baseline', mode: 'close', start: 0, end: 5000, result, serverProcesses: { start: 6, end: 21 } },
    { window: 'attack, after 5 s', mode: 'close', start: 10_000, end: 25_000, result, serverProcesses: { start: 104, end: 93 } },
    { window: 'recovery', mode: 'close', start: 25_000, end: 30_000, result: { ...result, durationS: 3.14159 }, interrupted: true },
  ];
  const lines = wrkLines(rows);
  assert.match(lines[1] ?? '', /p99 +processes +errors$/);
  assert.match(lines[2] ?? '', /^baseline .* 6→21 +none$/);
  assert.match(lines[3] ?? '', /^attack, after 5 s .* 104→93 +none$/);
  assert.match(lines[4] ?? '', /^recovery .* - +none \(wrk ran past its window and was stopped: it measured 3\.1 s\)$/);
  const plain = wrkLines(rows.map(({ serverProcesses: _, ...w }) => w));
  assert.ok(plain.every((l) => !l.includes('processes') && !l.includes('→')), plain.join('\n'));
});
