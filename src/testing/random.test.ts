import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom, testSeed } from './random.js';

test('the same seed gives the same sequence, in [0, 1); another seed another one', () => {
  const a = seededRandom(42), b = seededRandom(42), c = seededRandom(43);
  const xs = Array.from({ length: 1000 }, () => a());
  assert.deepEqual(xs, Array.from({ length: 1000 }, () => b()));
  assert.notDeepEqual(xs.slice(0, 10), Array.from({ length: 10 }, () => c()));
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(mean > 0.45 && mean < 0.55, String(mean));
});

test('testSeed: SYNGUARD_SEED wins; otherwise the fallback', () => {
  assert.equal(testSeed(7, { SYNGUARD_SEED: '123' }), 123);
  assert.equal(testSeed(7, {}), 7);
  assert.equal(testSeed(7, { SYNGUARD_SEED: 'x' }), 7);
});
