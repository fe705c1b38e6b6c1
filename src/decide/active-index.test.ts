// The active-decision index: same value, covering prefixes, hosts inside a prefix, expiry and updates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Decision } from '../core/decision.js';
import { ActiveIndex } from './active-index.js';
import { toNet } from './cidr-math.js';

const NOW = 1_000_000;
const d = (value: string, until = NOW + 1000, scope: 'ip' | 'prefix' = /\/(32|128)$/.test(value) ? 'ip' : 'prefix'): Decision => ({
  scope, value, action: 'ban', reason: 'r', evidence: [], origin: 'auto', createdAt: NOW, until, offence: 1,
});

test('expired decisions are left out; of two on one value the later-ending one wins', () => {
  const index = new ActiveIndex([d('198.18.0.1/32', NOW), d('198.18.0.2/32', NOW + 5), d('198.18.0.2/32', NOW + 50), d('198.18.0.2/32', NOW + 9)], NOW);
  assert.equal(index.get('198.18.0.1/32'), undefined);
  assert.equal(index.get('198.18.0.2/32')?.until, NOW + 50);
  assert.equal(index.values().length, 1);
});

test('covering finds a wider active prefix, of the same family only, never the value itself', () => {
  const index = new ActiveIndex([d('198.18.0.0/16'), d('2001:db8:1::/64'), d('203.0.113.7/32')], NOW);
  assert.equal(index.covering(toNet('198.18.5.7'))?.value, '198.18.0.0/16');
  assert.equal(index.covering(toNet('198.18.5.0/24'))?.value, '198.18.0.0/16');
  assert.equal(index.covering(toNet('198.18.0.0/16')), undefined);
  assert.equal(index.covering(toNet('198.19.0.1')), undefined);
  assert.equal(index.covering(toNet('2001:db8:1::99'))?.value, '2001:db8:1::/64');
  assert.equal(index.covering(toNet('::ffff:198.18.1.1'))?.value, '198.18.0.0/16');
  assert.equal(index.covering(toNet('203.0.113.7')), undefined);
});

test('hostsIn lists address bans inside a prefix, and follows set/delete', () => {
  const index = new ActiveIndex([d('198.18.5.1/32'), d('198.18.5.2/32'), d('198.18.6.1/32'), d('198.18.5.0/25')], NOW);
  const hosts = (p: string) => index.hostsIn(toNet(p)).map((x) => x.value).sort();
  assert.deepEqual(hosts('198.18.5.0/24'), ['198.18.5.1/32', '198.18.5.2/32']);
  index.set(d('198.18.5.3/32'));
  index.delete('198.18.5.1/32');
  assert.deepEqual(hosts('198.18.5.0/24'), ['198.18.5.2/32', '198.18.5.3/32']);
  assert.deepEqual(hosts('198.18.0.0/16'), ['198.18.5.2/32', '198.18.5.3/32', '198.18.6.1/32']);
  index.delete('198.18.5.0/25');
  assert.equal(index.covering(toNet('198.18.5.2')), undefined);
});
