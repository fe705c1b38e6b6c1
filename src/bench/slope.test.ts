import { test } from 'node:test';
import assert from 'node:assert/strict';
import { T0 } from '../testing/clock.js';
import { slopePerMinute, type Sample } from './slope.js';

const near = (a: number, b: number): void => assert.ok(Math.abs(a - b) < 1e-9, `${a} ≠ ${b}`);
const every10s = (values: readonly number[]): Sample[] => values.map((value, i) => ({ atMs: T0 + i * 10_000, value }));

test('a line rising 1 unit per 10 s has a slope of 6 per minute', () => {
  near(slopePerMinute(every10s([0, 1, 2, 3, 4, 5, 6])), 6);
});

test('a flat series has slope 0; a falling one is negative', () => {
  near(slopePerMinute(every10s([5, 5, 5, 5])), 0);
  near(slopePerMinute(every10s([12, 10, 8, 6])), -12);
});

test('noise around a line: the least-squares fit, not the first-to-last difference', () => {
  // first 10, last 10, but the middle is high: the end points alone would say 0, the fit says 0 too (symmetric)
  near(slopePerMinute(every10s([10, 20, 20, 10])), 0);
  // one spike at the end weighs, but less than first-to-last (which would say +90/30 s = 180/min)
  const s = slopePerMinute(every10s([0, 0, 0, 90]));
  assert.ok(s > 0 && s < 180, String(s));
  near(s, 162); // 27 per 10 s by hand: Σdx·dy / Σdx² = 135 / 5
});

test('unevenly spaced samples are placed at their times', () => {
  const s = slopePerMinute([{ atMs: T0, value: 0 }, { atMs: T0 + 60_000, value: 1 }, { atMs: T0 + 180_000, value: 3 }]);
  near(s, 1);
});

test('fewer than two usable samples, or one instant: NaN; unreadable samples are left out', () => {
  assert.ok(Number.isNaN(slopePerMinute([])));
  assert.ok(Number.isNaN(slopePerMinute(every10s([3]))));
  assert.ok(Number.isNaN(slopePerMinute([{ atMs: T0, value: 1 }, { atMs: T0, value: 2 }])));
  near(slopePerMinute(every10s([0, NaN, 2, 3])), 6);
});
