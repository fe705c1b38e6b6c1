import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatGoDuration, parseGoDuration } from './go-duration.js';

test('Go durations the LAPI writes parse to ms', () => {
  assert.equal(parseGoDuration('3h59m58.2s'), 14_398_200);
  assert.equal(parseGoDuration('167h59m59.843542394s'), 604_799_843.542394);
  assert.equal(parseGoDuration('500ms'), 500);
  assert.equal(parseGoDuration('-2.5s'), -2500);
  assert.equal(parseGoDuration('0'), 0);
  for (const bad of ['', '4d', '1h 2m', 'h', '1.5']) assert.equal(parseGoDuration(bad), null, bad);
});

test('ms are written as Go writes them, and read back', () => {
  assert.equal(formatGoDuration(3_600_000), '1h0m0s');
  assert.equal(formatGoDuration(243_500), '4m3.5s');
  assert.equal(formatGoDuration(14_398_200), '3h59m58.2s');
  assert.equal(formatGoDuration(250), '250ms');
  assert.equal(formatGoDuration(0), '0s');
  assert.equal(formatGoDuration(59_001), '59.001s');
  for (const ms of [1000, 61_000, 86_400_000, 12_345]) assert.equal(parseGoDuration(formatGoDuration(ms)), ms);
});
