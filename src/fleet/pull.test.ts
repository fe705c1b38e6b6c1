// Pull: the stream replies captured from LAPI 1.4.6 become stored decisions with origin 'crowdsec' (Ip and Range,
// both families), deletions end them, the allow-list and the cap refuse, this host's own bans are not doubled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openFleetDb } from '../store/fleet-db.js';
import { T0 } from '../testing/clock.js';
import { tempDir } from '../testing/temp.js';
import { lapiFixture } from '../testing/fake-lapi.js';
import type { StreamReply } from './protocol.js';
import { applyStream, cidrOf, type PullPolicy } from './pull.js';

const startup = lapiFixture<StreamReply>('stream-startup.json');
const delta = lapiFixture<{ new: null; deleted: StreamReply['deleted'] }>('stream-delta.json');
const open: PullPolicy = { refuse: () => null, max: 100 };
const live = (db: ReturnType<typeof openFleetDb>, at = T0) => db.decisions.active(at).map((d) => `${d.origin} ${d.value}`);

test('Ip and Range bans of both families are stored with origin crowdsec and their remaining time; captcha is not a ban', () => {
  const db = openFleetDb(tempDir('sg-pull-'));
  const out = applyStream(db, startup, true, open, T0);
  assert.deepEqual(out, { added: 3, extended: 0, ended: 0, known: 0, refused: { 'not a ban of scope Ip or Range': 1 } });
  assert.deepEqual(live(db), ['crowdsec 2001:db8::7/128', 'crowdsec 2001:db8:5::/64', 'crowdsec 198.18.7.0/24']);
  const range = db.decisions.findActive('198.18.7.0/24', T0);
  assert.equal(range?.scope, 'prefix');
  assert.equal(range?.until, T0 + 14_399_215); // "3h59m59.215149475s", to the ms
  assert.match(range?.evidence[0] ?? '', /LAPI decision 3: ban Range 198.18.7.0\/24/);
  // the same startup again (a restart): nothing doubled
  assert.equal(applyStream(db, startup, true, open, T0 + 1000).added, 0);
  // the delta deletes decision 3 (`new` is null in the LAPI's answer)
  const d = applyStream(db, { new: delta.new ?? [], deleted: delta.deleted }, false, open, T0 + 2000);
  assert.equal(d.ended, 1);
  assert.deepEqual(live(db, T0 + 2000), ['crowdsec 2001:db8::7/128', 'crowdsec 2001:db8:5::/64']);
  assert.equal(db.decisions.byValue('198.18.7.0/24')[0]?.endedBy, 'crowdsec');
  db.close();
});

test('a startup reply is the whole set: what is missing from it ended while synguard was away', () => {
  const db = openFleetDb(tempDir('sg-pull-'));
  applyStream(db, startup, true, open, T0);
  const out = applyStream(db, { new: startup.new.filter((x) => x.id !== 4), deleted: [] }, true, open, T0 + 1000);
  assert.equal(out.ended, 1);
  assert.equal(db.decisions.findActive('2001:db8::7/128', T0 + 1000), undefined);
  db.close();
});

test('the allow-list wins, the cap holds, and a value this host bans already is not doubled', () => {
  const db = openFleetDb(tempDir('sg-pull-'));
  db.decisions.insert({ scope: 'prefix', value: '2001:db8:5::/64', action: 'ban', reason: 'own', evidence: [], origin: 'auto', createdAt: T0, until: T0 + 60_000, offence: 1 });
  const out = applyStream(db, startup, true, { refuse: (v) => (v === '198.18.7.0/24' ? 'overlaps the allow-list' : null), max: 1 }, T0);
  assert.deepEqual(out, { added: 1, extended: 0, ended: 0, known: 1, refused: { 'not a ban of scope Ip or Range': 1, 'allow-list': 1 } });
  assert.deepEqual(live(db), ['auto 2001:db8:5::/64', 'crowdsec 2001:db8::7/128']);
  const more = applyStream(db, { new: [{ id: 99, origin: 'cscli', type: 'ban', scope: 'Ip', value: '198.18.1.1', duration: '1h', scenario: 'x' }], deleted: [] }, false, { ...open, max: 1 }, T0);
  assert.deepEqual(more.refused, { 'cap of 1': 1 });
  db.close();
});

test('scopes and values', () => {
  const d = { id: 1, origin: 'cscli', type: 'ban', duration: '1h', scenario: 's' };
  assert.equal(cidrOf({ ...d, scope: 'Ip', value: '::ffff:198.18.0.1' }), '198.18.0.1/32');
  assert.equal(cidrOf({ ...d, scope: 'range', value: '198.18.7.9/24' }), '198.18.7.0/24');
  assert.equal(cidrOf({ ...d, scope: 'Country', value: 'FR' }), null);
  assert.equal(cidrOf({ ...d, scope: 'Ip', value: 'not-an-ip' }), null);
});
