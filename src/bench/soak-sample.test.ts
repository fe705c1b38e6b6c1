import { test } from 'node:test';
import assert from 'node:assert/strict';
import { metricValue } from './soak-sample.js';

test('metricValue: a metric summed over its label sets; NaN when absent; a longer name is not a match', () => {
  const text = [
    '# HELP synguard_bans_active bans',
    'synguard_bans_active{scope="ip",origin="auto"} 3',
    'synguard_bans_active{scope="prefix",origin="kernel"} 2',
    'synguard_bans_active_extra 100',
    'synguard_loop_duration_seconds_sum 1.25',
  ].join('\n');
  assert.equal(metricValue(text, 'synguard_bans_active'), 5);
  assert.equal(metricValue(text, 'synguard_loop_duration_seconds_sum'), 1.25);
  assert.ok(Number.isNaN(metricValue(text, 'synguard_bans_expired_total')));
});
