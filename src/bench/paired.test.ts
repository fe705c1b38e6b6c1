import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LabReport } from '../lab/report.js';
import { pairedCells, pairedRows, pairOrder, summarizePairs, wrkIn } from './paired.js';

test('runs alternate off-first and on-first (ABBA), so drift falls on both sides', () => {
  assert.deepEqual([0, 1, 2, 3].map(pairOrder), [['off', 'on'], ['on', 'off'], ['off', 'on'], ['on', 'off']]);
});

test('each pair gives its own on/off ratio; the summary is their median and range beside each side\'s median', () => {
  // the machine slows down over the pairs (rps falls on both sides), yet each pair's ratio stays near 1
  const s = summarizePairs([
    { off: { rps: 20_000, p99: 10 }, on: { rps: 19_600, p99: 11 } },
    { off: { rps: 15_000, p99: 20 }, on: { rps: 15_300, p99: 18 } },
    { off: { rps: 10_000, p99: 30 }, on: { rps: 9_900, p99: null } },
  ]);
  assert.ok(s);
  assert.equal(s.pairs, 3);
  assert.deepEqual(s.rpsOff, { median: 15_000, min: 10_000, max: 20_000 });
  assert.equal(s.rpsRatio.median, 0.99);
  assert.equal(s.rpsRatio.min, 0.98);
  assert.equal(s.rpsRatio.max, 1.02);
  // a pair where one side has no p99 counts for requests only
  assert.deepEqual(s.p99Ratio, { median: (1.1 + 0.9) / 2, min: 0.9, max: 1.1 });
  assert.deepEqual(pairedCells(s), ['15000 (10000–20000)', '15300 (9900–19600)', '0.99× (0.98–1.02)', '15.0 ms (10.0–20.0)', '14.5 ms (11.0–18.0)', '1.00× (0.90–1.10)']);
  assert.equal(summarizePairs([]), null);
});

test('rows per window and mode: the meter\'s cap on one mode shows apart from the sum', () => {
  const run = (closeRps: number) => ({
    wrk: ['baseline', 'attack, first 5 s', 'attack, after 5 s'].flatMap((window) => [
      { window, mode: 'keep-alive', result: { requestsPerSec: 20_000, latencyMs: { p99: 5 }, requests: 100, non2xx3xx: 0, errors: { connect: 0, read: 0, write: 0, timeout: 0 } } },
      { window, mode: 'close', result: { requestsPerSec: closeRps, latencyMs: { p99: 8 }, requests: 100, non2xx3xx: 0, errors: { connect: 0, read: 0, write: 0, timeout: 0 } } },
    ]),
  }) as unknown as LabReport;
  const rows = new Map(pairedRows('spoofed-syn', 'nginx', [run(4000), run(6000)], [run(1000), run(1000)], [3.5, 5.25]));
  assert.equal(rows.size, 9);
  assert.match(rows.get('baseline, close') ?? '', /^\| spoofed-syn \| nginx \| 2 \| 5000 \(4000–6000\) \| 1000 \(1000–1000\) \| 0\.21× \(0\.17–0\.25\) \| 8\.00 ms .* \| 1\.00× .*\| 3\.5–5\.3 \|$/);
  assert.match(rows.get('attack, after 5 s, keep-alive') ?? '', /\| 1\.00× \(1\.00–1\.00\) \|/);
  assert.match(rows.get('attack, after 5 s, keep-alive + close') ?? '', /\| 0\.84× \(0\.81–0\.88\) \|/);
  assert.equal(wrkIn(run(10), 'recovery'), null);
});

test('a wrk run that gave no report is no figure: its pair is left out of that window, not counted as 0 requests', () => {
  const result = (rps: number) => ({ requestsPerSec: rps, latencyMs: { p99: 5 }, requests: 100, non2xx3xx: 0, errors: { connect: 0, read: 0, write: 0, timeout: 0 } });
  const run = (closeDied: boolean) => ({
    wrk: [
      { window: 'baseline', mode: 'keep-alive', result: result(20_000) },
      { window: 'baseline', mode: 'close', result: closeDied ? null : result(5_000), ...(closeDied ? { error: 'no output (wrk: killed by SIGSEGV)' } : {}) },
    ],
  }) as unknown as LabReport;
  assert.equal(wrkIn(run(true), 'baseline', 'close'), null);
  assert.equal(wrkIn(run(true), 'baseline'), null, 'both modes together: one missing makes the sum no figure');
  assert.equal(wrkIn(run(true), 'baseline', 'keep-alive')?.rps, 20_000);
  const rows = new Map(pairedRows('s', 'nginx', [run(true), run(false), run(false)], [run(false), run(false), run(false)], [1, 1]));
  assert.match(rows.get('baseline, close') ?? '', /^\| s \| nginx \| 2 \| 5000 \(5000–5000\) \| 5000 \(5000–5000\) \| 1\.00× \(1\.00–1\.00\) \|/);
  assert.match(rows.get('baseline, keep-alive + close') ?? '', /^\| s \| nginx \| 2 \|/);
  assert.match(rows.get('baseline, keep-alive') ?? '', /^\| s \| nginx \| 3 \|/);
});
