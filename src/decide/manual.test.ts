// Manual ban/unban requests: canonical values, durations, reasons, allow-list refusals, errors with examples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SynguardError } from '../core/errors.js';
import { configFrom } from '../config/load.js';
import { buildAllowList } from './allow-list.js';
import { manualBan, manualUnbanValue } from './manual.js';

const NOW = Date.UTC(2026, 0, 1, 12);
const config = configFrom({});
const ctx = { allow: buildAllowList({ gateways: ['203.0.113.1'], configured: ['10.20.0.0/16'] }), config, now: NOW };
const inputError = (pattern: RegExp) => (e: unknown) => e instanceof SynguardError && e.code === 'input' && pattern.test(e.message);

test('a manual ban becomes a manual decision; the default length is defender.bans.manual (24h)', () => {
  const d = manualBan({ target: '::ffff:198.51.100.7' }, ctx);
  assert.deepEqual({ ...d }, {
    scope: 'ip', value: '198.51.100.7/32', action: 'ban', reason: 'manual ban', evidence: ['banned by hand for 1d'],
    origin: 'manual', createdAt: NOW, until: NOW + 86_400_000, offence: 1,
  });
});

test('--for, --reason, prefixes and past offences', () => {
  const d = manualBan({ target: '2001:DB8:1::5/64', for: '90m', reason: '  scraper, ticket 4711 ' }, { ...ctx, offences: 2 });
  assert.equal(d.scope, 'prefix');
  assert.equal(d.value, '2001:db8:1::/64');
  assert.equal(d.until, NOW + 90 * 60_000);
  assert.equal(d.reason, 'scraper, ticket 4711');
  assert.equal(d.offence, 3);
});

test('allow-listed targets are refused with the reason', () => {
  assert.throws(() => manualBan({ target: '::ffff:127.0.0.1' }, ctx), inputError(/refusing to ban 127\.0\.0\.1\/32: allow-listed: .*loopback/));
  assert.throws(() => manualBan({ target: '203.0.113.0/24' }, ctx), inputError(/overlaps 203\.0\.113\.1\/32 \(default gateway\)/));
  assert.throws(() => manualBan({ target: '10.20.3.4' }, ctx), inputError(/configured/));
});

test('malformed input is refused with an example of a correct value', () => {
  assert.throws(() => manualBan({ target: '198.51.100.300' }, ctx), inputError(/e\.g\. 198\.51\.100\.7, 203\.0\.113\.0\/24/));
  assert.throws(() => manualBan({ target: '198.51.100.7/33' }, ctx), inputError(/prefix length must be 0-32/));
  assert.throws(() => manualBan({ target: '8.0.0.0/5' }, ctx), inputError(/too wide to ban: IPv4 prefixes must be \/8 or longer \(e\.g\. 203\.0\.113\.0\/24/));
  assert.throws(() => manualBan({ target: '2000::/3' }, ctx), inputError(/IPv6 prefixes must be \/16 or longer/));
  assert.throws(() => manualBan({ target: '198.51.100.7', for: '10 minutes' }, ctx), inputError(/--for "10 minutes" is not a duration .*"10m"/));
  assert.throws(() => manualBan({ target: '198.51.100.7', for: '0s' }, ctx), inputError(/--for/));
  assert.throws(() => manualBan({ target: '198.51.100.7', reason: 'two\nlines' }, ctx), inputError(/--reason must be one line/));
});

test('unban values are canonical; bad ones give an example', () => {
  assert.equal(manualUnbanValue('::ffff:198.51.100.7'), '198.51.100.7/32');
  assert.equal(manualUnbanValue('2001:db8:1:0::/64'), '2001:db8:1::/64');
  assert.equal(manualUnbanValue('203.0.113.9/24'), '203.0.113.0/24');
  assert.throws(() => manualUnbanValue('host.example'), inputError(/e\.g\./));
});
