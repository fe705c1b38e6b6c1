// wrk's output parsed from real captures: requests/s, percentiles in every unit, each error kind, and the success share.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWrk, wrkArgs, wrkSuccess, wrkTimeMs } from './wrk.js';
import { ATTACK_CLOSE, ATTACK_KEEPALIVE, BASELINE_KEEPALIVE } from '../testing/wrk-captures.js';

test('a clean run: requests, duration, requests/s and the four percentiles (us and ms)', () => {
  const r = parseWrk(BASELINE_KEEPALIVE);
  assert.ok(r);
  assert.equal(r.requests, 59748);
  assert.equal(r.durationS, 6.01);
  assert.equal(r.requestsPerSec, 9942.64);
  assert.deepEqual(r.latencyMs, { p50: 0.649, p75: 2.19, p90: 7.58, p99: 33.72 });
  assert.deepEqual(r.errors, { connect: 0, read: 0, write: 0, timeout: 0, non2xx3xx: 0 });
  assert.deepEqual(wrkSuccess(r), { ok: 59748, failed: 0, ratio: 1 });
});

test('under attack: seconds with wrk\'s trailing space, socket errors counted as failures', () => {
  const c = parseWrk(ATTACK_CLOSE);
  assert.ok(c);
  assert.equal(c.latencyMs.p99, 1540);
  assert.equal(c.latencyMs.p90, 1520);
  assert.equal(c.errors.timeout, 4);
  assert.deepEqual(wrkSuccess(c), { ok: 64, failed: 4, ratio: 64 / 68 });
  const k = parseWrk(ATTACK_KEEPALIVE);
  assert.equal(k?.errors.timeout, 10);
  assert.equal(k?.requestsPerSec, 139.54);
});

test('non-2xx and every socket error kind are read; a non-report is null', () => {
  const text = BASELINE_KEEPALIVE.replace('Requests/sec', '  Socket errors: connect 3, read 2, write 1, timeout 7\n  Non-2xx or 3xx responses: 5\nRequests/sec');
  const r = parseWrk(text);
  assert.deepEqual(r?.errors, { connect: 3, read: 2, write: 1, timeout: 7, non2xx3xx: 5 });
  assert.deepEqual(r && wrkSuccess(r), { ok: 59743, failed: 18, ratio: 59743 / 59761 });
  assert.equal(parseWrk('unable to connect to 198.18.0.1:8080 Connection refused\n'), null);
  assert.equal(wrkTimeMs('2.5m'), 150_000);
  assert.equal(wrkTimeMs('fast'), null);
});

test('arguments: whole seconds within 30, --latency, Connection: close only in close mode', () => {
  assert.deepEqual(wrkArgs('http://198.18.0.1:8080/', { connections: 10, durationS: 4.9, mode: 'keep-alive' }),
    ['-t1', '-c10', '-d4s', '--timeout', '2s', '--latency', 'http://198.18.0.1:8080/']);
  const close = wrkArgs('http://x/', { connections: 5, durationS: 99, mode: 'close' });
  assert.ok(close.includes('-d30s'));
  assert.deepEqual(close.slice(-3), ['-H', 'Connection: close', 'http://x/']);
});
