// Serve: the bouncer protocol's stream from the store, per key: startup, then what is new and what ended since.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Decision } from '../core/decision.js';
import { openFleetDb } from '../store/fleet-db.js';
import { T0 } from '../testing/clock.js';
import { tempDir } from '../testing/temp.js';
import { streamFor } from './serve.js';

const MIN = 60_000;
const ban = (value: string, extra: Partial<Decision> = {}): Decision => ({
  scope: value.endsWith('/32') || value.endsWith('/128') ? 'ip' : 'prefix', value, action: 'ban', reason: 'half-open flood',
  evidence: [], origin: 'auto', createdAt: T0, until: T0 + 10 * MIN, offence: 1, ...extra,
});

test('startup lists what is in force (Go durations, origin); deltas bring new ones and ended ones, per key', () => {
  const db = openFleetDb(tempDir('sg-serve-'));
  assert.ok(db.keys.add('fw-b', 'key-b-0123456789', T0));
  assert.ok(db.keys.add('fw-c', 'key-c-0123456789', T0));
  assert.equal(db.keys.add('fw-b', 'other-0123456789', T0), false, 'names are unique');
  const [a] = db.decisions.insertMany([ban('198.18.5.9/32'), ban('2001:db8:1::/64', { origin: 'crowdsec', reason: 'CrowdSec cscli decision 3: x' })]);
  const b = () => db.keys.find('key-b-0123456789')!;
  assert.equal(db.keys.find('nope'), undefined);
  const first = streamFor(db, b(), true, T0 + 1500);
  assert.deepEqual(first.new, [
    { id: 1, origin: 'synguard', type: 'ban', scope: 'Ip', value: '198.18.5.9', duration: '9m58.5s', scenario: 'synguard/syn-flood' },
    { id: 2, origin: 'crowdsec', type: 'ban', scope: 'Range', value: '2001:db8:1::/64', duration: '9m58.5s', scenario: 'CrowdSec cscli decision 3: x' },
  ]);
  assert.deepEqual(first.deleted, []);
  assert.deepEqual(streamFor(db, b(), false, T0 + 2000), { new: [], deleted: [] }, 'nothing twice');
  db.decisions.end(a!.id, { now: T0 + 3000, by: 'cli', kind: 'unban' });
  db.decisions.insert(ban('198.18.5.10/32', { createdAt: T0 + 3000, origin: 'manual' }));
  const next = streamFor(db, b(), false, T0 + 4000);
  assert.deepEqual(next.new.map((d) => `${d.value} ${d.scenario}`), ['198.18.5.10 synguard/manual']);
  assert.deepEqual(next.deleted.map((d) => d.value), ['198.18.5.9']);
  // fw-c never pulled: its first call is a full list whatever it asks
  assert.deepEqual(streamFor(db, db.keys.find('key-c-0123456789')!, false, T0 + 4000).new.map((d) => d.value), ['2001:db8:1::/64', '198.18.5.10']);
  // expiry: the bouncer is told too (its set's timeout has done it already; the LAPI says so as well)
  assert.deepEqual(streamFor(db, b(), false, T0 + 10 * MIN + 1).deleted.map((d) => d.value), ['2001:db8:1::/64', '198.18.5.10']);
  db.close();
});
