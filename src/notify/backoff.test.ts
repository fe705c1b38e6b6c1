// The back-off schedule: doubling from 1 s, capped at 5 min, jitter only ever shortens a wait.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, backoffSchedule, DEFAULT_BACKOFF } from './backoff.js';

test('the documented schedule: 1 s, 2 s, 4 s, 8 s, 16 s', () => {
  assert.deepEqual(backoffSchedule(5), [1000, 2000, 4000, 8000, 16_000]);
});

test('the wait never passes the cap', () => {
  assert.deepEqual(backoffSchedule(12).slice(-4), [256_000, 300_000, 300_000, 300_000]);
  assert.equal(backoffDelay(60, DEFAULT_BACKOFF, () => 0), 300_000);
});

test('jitter shortens by at most its share', () => {
  assert.equal(backoffDelay(3, DEFAULT_BACKOFF, () => 1), 3200);
  assert.equal(backoffDelay(3, DEFAULT_BACKOFF, () => 0.5), 3600);
  assert.equal(backoffDelay(3, { ...DEFAULT_BACKOFF, jitter: 0 }, () => 1), 4000);
});
