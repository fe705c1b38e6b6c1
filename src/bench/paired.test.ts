import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LabReport } from '../lab/report.js';
import { medianInterval, pairedCells, pairedRows, pairOrder, summarizePairs, withinVerdict, wrkIn } from './paired.js';

test('runs alternate A-first and B-first (ABBA), so drift falls on both sides', () => {
  assert.deepEqual([0, 1, 2, 3].map(pairOrder), [['a', 'b'], ['b', 'a'], ['a', 'b'], ['b', 'a']]);
});

test('each pair gives its own on/off ratio; the summary is their median and range beside each side\'s median', () => {
  // the machine slows down over the pairs (rps falls on both sides), yet each pair's ratio stays near 1
  const s = summarizePairs([
    { a: { rps: 20_000, p99: 10 }, b: { rps: 19_600, p99: 11 } },
    { a: { rps: 15_000, p99: 20 }, b: { rps: 15_300, p99: 18 } },
    { a: { rps: 10_000, p99: 30 }, b: { rps: 9_900, p99: null } },
  ]);
  assert.ok(s);
  assert.equal(s.pairs, 3);
  assert.deepEqual(s.rpsA, { median: 15_000, min: 10_000, max: 20_000 });
  assert.equal(s.rpsRatio.median, 0.99);
  assert.equal(s.rpsRatio.min, 0.98);
  assert.equal(s.rpsRatio.max, 1.02);
  // a pair where one side has no p99 counts for requests only
  assert.deepEqual(s.p99Ratio, { median: (1.1 + 0.9) / 2, min: 0.9, max: 1.1 });
  // three pairs are too few for a 90 % interval: no interval, and no verdict
  assert.deepEqual(pairedCells(s), ['15000 (10000–20000)', '15300 (9900–19600)', '0.99× (0.98–1.02)', '15.0 ms (10.0–20.0)', '14.5 ms (11.0–18.0)', '1.00× (0.90–1.10)', '? · ?']);
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

test('the median\'s interval: the k-th smallest and largest ratios, k the largest whose coverage is at least 90 %', () => {
  const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
  assert.deepEqual(medianInterval(range(8)), { lo: 2, hi: 7 });
  assert.deepEqual(medianInterval(range(16)), { lo: 5, hi: 12 });
  assert.deepEqual(medianInterval(range(5)), { lo: 1, hi: 5 }, 'five is the fewest: the whole range covers 94 %');
  assert.equal(medianInterval(range(4)), null, 'four cannot reach 90 % (87.5 %)');
  // the input's order does not matter, and one far-out ratio (a slow run in the VM) does not move it
  assert.deepEqual(medianInterval([1.1, 0.9, 1.0, 8, 0.95, 1.05, 0.98, 1.02]), { lo: 0.95, hi: 1.1 });
  // against the binomial computed here from scratch: the coverage holds, and one step narrower would not
  const choose = (n: number, k: number): number => (k === 0 ? 1 : (choose(n, k - 1) * (n - k + 1)) / k);
  const coverage = (n: number, k: number) => 1 - (2 * range(k).reduce((sum, i) => sum + choose(n, i - 1), 0)) / 2 ** n;
  for (let n = 5; n <= 40; n++) {
    const ci = medianInterval(range(n))!;
    assert.ok(coverage(n, ci.lo) >= 0.9, `n ${n}: k ${ci.lo} covers ${coverage(n, ci.lo)}`);
    assert.equal(ci.hi, n + 1 - ci.lo, `n ${n}: symmetric`);
    if (2 * (ci.lo + 1) <= n + 1) assert.ok(coverage(n, ci.lo + 1) < 0.9, `n ${n}: k ${ci.lo + 1} would cover ${coverage(n, ci.lo + 1)}`);
  }
  assert.deepEqual(medianInterval([0.96, 0.97, 0.98, 0.99, 1.0], 0.95), null, 'a higher level needs more pairs');
});

test('within 5 %: yes when the whole interval is within, no when it is all beyond, ? when the pairs cannot tell', () => {
  const pairs = (rps: number[], p99: number[]) => rps.map((r, i) => ({ a: { rps: 1000, p99: 1 }, b: { rps: 1000 * r, p99: p99[i]! } }));
  const sixteen = (lo: number, hi: number) => Array.from({ length: 16 }, (_, i) => lo + ((hi - lo) * i) / 15);
  // requests/s 0.96–0.99 throughout; p99 from 0.85 to 1.25: its interval (5th to 12th of 16) straddles 1.05
  const s = summarizePairs(pairs(sixteen(0.96, 0.99), sixteen(0.85, 1.25)))!;
  assert.deepEqual(withinVerdict(s), { rps: 'yes', p99: '?' });
  assert.equal(pairedCells(s).at(-1), 'yes · ?');
  assert.match(pairedCells(s)[2] ?? '', /^0\.97× \[0\.97–0\.98\] \(0\.96–0\.99\)$/);
  // a side that is clearly slower and clearly worse in the tail
  assert.deepEqual(withinVerdict(summarizePairs(pairs(sixteen(0.8, 0.9), sixteen(1.2, 1.6)))!), { rps: 'no', p99: 'no' });
  // a tighter tolerance turns the same figures from yes to ?
  assert.deepEqual(withinVerdict(s, 0.02), { rps: '?', p99: '?' });
});
