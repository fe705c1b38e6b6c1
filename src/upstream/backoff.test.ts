import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIRST_RESTART_MS, MAX_RESTART_MS, STABLE_MS, failuresAfter, restartDelayMs } from './backoff.js';

test('restart delays double from 60 s and stop at 15 min', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 100].map((n) => restartDelayMs(n) / 1000), [60, 120, 240, 480, 900, 900, 900]);
  assert.equal(restartDelayMs(0), FIRST_RESTART_MS);
  assert.equal(restartDelayMs(1e9), MAX_RESTART_MS);
});

test('a failure after a long run starts the count again; a quick death adds one', () => {
  assert.equal(failuresAfter(5, STABLE_MS), 1);
  assert.equal(failuresAfter(5, STABLE_MS - 1), 6);
  assert.equal(failuresAfter(0, 0), 1);
});
