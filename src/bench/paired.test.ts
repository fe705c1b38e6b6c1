import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pairedCells, pairOrder, summarizePairs } from './paired.js';

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
