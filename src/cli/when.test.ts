import { test } from 'node:test';
import assert from 'node:assert/strict';
import { iso } from './when.js';
import { T0 } from '../testing/clock.js';

const reference = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

test('iso writes what Date writes, without ".000", across leap years, month ends and centuries', () => {
  const samples = [0, 1, 999, 1000, 86_399_999, 86_400_000, 951_782_400_000, 951_868_799_999, 4_107_542_400_000, 253_402_300_799_999, T0, T0 + 1, T0 + 500];
  for (let ms = 0; ms < 253_402_300_800_000; ms += 987_654_321_013) samples.push(ms, ms + 86_400_000 - 1);
  for (const ms of samples) assert.equal(iso(ms), reference(ms), String(ms));
});

test('iso hands what it does not compute to Date: fractions, before 1970, after 9999', () => {
  for (const ms of [1.5, -1, -86_400_001, 253_402_300_800_000]) assert.equal(iso(ms), reference(ms));
});
