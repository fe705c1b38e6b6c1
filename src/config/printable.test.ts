// The printed config reads back as the same config, with durations in their written form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { configFrom, parseConfig } from './load.js';
import { printableConfig } from './printable.js';

test('the defaults print with durations as text and parse back to the same config', () => {
  const config = configFrom({});
  const printed = printableConfig(config);
  const defender = printed['defender'] as { bans: { base: unknown; max: unknown }; hardening: { calmDown: unknown } };
  assert.equal(defender.bans.base, '10m');
  assert.equal(defender.bans.max, '1d');
  assert.equal(defender.hardening.calmDown, '2m');
  assert.deepEqual(parseConfig(stringify(printed)), config);
});

test('a config with lists of objects (webhooks) and upstream steps round-trips too', () => {
  const config = parseConfig([
    'notify:', '  webhooks:', '    - url: https://hooks.example.net/x', '      timeout: 7s',
    'upstream:', '  steps:', '    discard:', '      holdDown: 90s', 'defender:', '  interval: 0.5', '  allowList: [192.0.2.0/24]',
  ].join('\n'));
  const printed = printableConfig(config);
  assert.equal((printed['notify'] as { webhooks: Array<{ timeout: unknown }> }).webhooks[0]?.timeout, '7s');
  assert.deepEqual(parseConfig(stringify(printed)), config);
});
