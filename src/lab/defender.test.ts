// The lab declares a shedding server's slots in the defender's config; what a scenario declares itself wins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configFrom } from '../config/load.js';
import { withDeclaredSlots } from './defender.js';

test('the builtin server\'s maxConnections becomes its declared slots, beside the scenario\'s own settings', () => {
  const config = withDeclaredSlots({ detection: { capacity: { fullFor: '2s' }, halfOpen: { ban: 40 } } }, 8080, 150);
  assert.deepEqual(config, { detection: { capacity: { fullFor: '2s', slots: { 8080: 150 } }, halfOpen: { ban: 40 } } });
  assert.deepEqual(configFrom(config).detection.capacity.slots, { 8080: 150 }, 'a config the daemon accepts');
  assert.deepEqual(withDeclaredSlots({}, 8080, 200), { detection: { capacity: { slots: { 8080: 200 } } } });
  // a scenario's own declaration for the port wins; another port's is kept
  const own = withDeclaredSlots({ detection: { capacity: { slots: { 8080: 90, 443: 10 } } } }, 8080, 150);
  assert.deepEqual(own, { detection: { capacity: { slots: { 8080: 90, 443: 10 } } } });
});
