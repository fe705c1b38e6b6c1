// Percentile, summary and bucket math over probe samples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bucketize, percentile, summarize } from './stats.js';
import type { Sample } from './probe.js';

const ok = (t: number, connectMs: number): Sample => ({ t, src: null, ok: true, connectMs, totalMs: connectMs + 1, error: null });
const fail = (t: number, error: string): Sample => ({ t, src: null, ok: false, connectMs: null, totalMs: null, error });

test('nearest-rank percentiles', () => {
  const xs = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(xs, 50), 50);
  assert.equal(percentile(xs, 95), 95);
  assert.equal(percentile(xs, 99), 99);
  assert.equal(percentile(xs, 100), 100);
  assert.equal(percentile([7], 99), 7);
  assert.equal(percentile([1, 2, 3], 0), 1);
  assert.equal(percentile([], 50), null);
});

test('summarize counts failures by kind and takes latency from successes only', () => {
  const s = summarize([ok(0, 1), ok(1, 3), ok(2, 2), fail(3, 'connect-timeout'), fail(4, 'connect-timeout'), fail(5, 'ECONNRESET')]);
  assert.deepEqual(s, { attempts: 6, succeeded: 3, p50Ms: 2, p95Ms: 3, p99Ms: 3, errors: { 'connect-timeout': 2, ECONNRESET: 1 } });
  assert.deepEqual(summarize([fail(0, 'x')]).p99Ms, null);
});

test('bucketize assigns attempts by start time and covers the whole run', () => {
  const origin = 10_000;
  const b = bucketize([ok(origin + 10, 1), ok(origin + 999, 2), fail(origin + 1000, 'connect-timeout'), ok(origin + 2400, 5)], origin, 2500, 1000);
  assert.deepEqual(b.map((x) => [x.start, x.end, x.attempts, x.succeeded]), [[0, 1000, 2, 2], [1000, 2000, 1, 0], [2000, 2500, 1, 1]]);
  assert.throws(() => bucketize([], 0, 10, 0), /bucketMs/);
});
