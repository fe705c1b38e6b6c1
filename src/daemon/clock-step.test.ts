import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clockStep, STEP_MS } from './clock-step.js';
import { T0 } from '../testing/clock.js';

test('a wall-clock step of an hour either way is seen once; drift under two seconds is not', () => {
  let offset = T0 - 1000;
  const look = (wall: number, mono: number) => { const r = clockStep(offset, wall, mono); offset = r.offset; return r.step; };
  assert.equal(look(T0 + 1000, 2000), 0);
  assert.equal(look(T0 + 2000 + STEP_MS - 1, 3000), 0, 'drift');
  assert.equal(look(T0 + 4000 - 3_600_000, 4000), -3_600_000 + 1000, 'back an hour, measured from the last step (drift included)');
  assert.equal(look(T0 + 5000 - 3_600_000, 5000), 0, 'seen once');
  assert.equal(look(T0 + 6000, 6000), 3_600_000, 'forward an hour');
});
