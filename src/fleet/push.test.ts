// Push against a LAPI 1.4.6 stand-in (shapes captured from the real one): batched, withdrawn on unban, nothing lost
// while it is down, nothing sent twice after a lost answer or a restart, a refused login in one clear line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Decision } from '../core/decision.js';
import { openFleetDb, type FleetDb } from '../store/fleet-db.js';
import { T0 } from '../testing/clock.js';
import { tempDir } from '../testing/temp.js';
import { fakeLapi, type FakeLapi } from '../testing/fake-lapi.js';
import { LapiClient } from './lapi-client.js';
import { Pusher } from './push.js';

const MIN = 60_000;
const ban = (value: string, extra: Partial<Decision> = {}): Decision => ({
  scope: value.endsWith('/32') || value.endsWith('/128') ? 'ip' : 'prefix', value, action: 'ban', reason: 'half-open flood',
  evidence: [`${value}: 812 half-open (ban at 100)`], origin: 'auto', createdAt: T0, until: T0 + 10 * MIN, offence: 1, ...extra,
});

function setup(lapi: FakeLapi = fakeLapi(), dir = tempDir('sg-push-')) {
  let now = T0;
  const db = openFleetDb(dir);
  const client = new LapiClient({ url: 'http://lapi.test:8080/', fetch: lapi.fetch, now: () => now });
  const pusher = new Pusher({ db, client, login: 'sg-a', password: 'secret', batch: 2, ref: 'host-a/1', now: () => now, random: () => 0 });
  return { lapi, db, pusher, dir, tick: (ms: number) => { now += ms; }, at: () => now };
}

const insert = (db: FleetDb, ...ds: Decision[]) => db.decisions.insertMany(ds);

test('bans are published as alerts in batches, once; an unban withdraws the LAPI decision; pulled and dry-run ones are not', async () => {
  const { lapi, db, pusher, tick } = setup();
  const [a] = insert(db, ban('198.18.5.9/32'), ban('198.18.6.0/24', { reason: 'connection flood from one prefix' }), ban('2001:db8::9/128', { origin: 'manual', reason: 'operator' }), ban('198.18.8.8/32', { origin: 'crowdsec' }));
  db.db.prepare('UPDATE decisions SET dry_run = 1 WHERE value = ?').run('2001:db8::9/128');
  insert(db, ban('2001:db8::10/128', { origin: 'manual', reason: 'operator' }));
  const r = await pusher.step();
  assert.equal(r.error, null);
  assert.equal(r.published, 3);
  assert.deepEqual(lapi.requests.filter((q) => q === 'POST /v1/alerts').length, 2, 'batches of 2');
  assert.deepEqual(lapi.alerts.map((x) => `${x.scenario} ${x.source.scope} ${x.source.value} ${x.decisions?.[0]?.duration}`), [
    'synguard/syn-flood Ip 198.18.5.9 10m0s',
    'synguard/connection-flood Range 198.18.6.0/24 10m0s',
    'synguard/manual Ip 2001:db8::10 10m0s',
  ]);
  assert.ok(lapi.alerts[0]?.message.includes('half-open flood'));
  assert.ok(lapi.alerts[0]?.meta?.some((m) => m.value === '198.18.5.9/32: 812 half-open (ban at 100)'), 'evidence in meta');
  tick(1000);
  assert.equal((await pusher.step()).published, 0, 'nothing twice');
  db.decisions.end(a!.id, { now: T0 + 2000, by: 'cli', kind: 'unban' });
  const w = await pusher.step();
  assert.equal(w.withdrawn, 1);
  assert.deepEqual(lapi.deleted, [101], 'the decision of alert 1 deleted');
  assert.equal((await pusher.step()).withdrawn, 0);
  assert.deepEqual(db.queue.counts().pending, 0);
});

test('a ban extended here is published again with its new end; the unban withdraws both LAPI decisions', async () => {
  const { lapi, db, pusher, tick, at } = setup();
  const [a] = insert(db, ban('198.18.5.9/32'));
  await pusher.step();
  tick(2 * MIN);
  assert.ok(db.decisions.extend(a!.id, T0 + 60 * MIN, at()));
  assert.equal((await pusher.step()).published, 1);
  assert.deepEqual(lapi.alerts.map((x) => x.decisions?.[0]?.duration), ['10m0s', '58m0s']);
  tick(1000);
  assert.equal((await pusher.step()).published, 0, 'once per extension');
  db.decisions.end(a!.id, { now: at(), by: 'cli', kind: 'unban' });
  await pusher.step();
  assert.deepEqual(lapi.deleted, [101, 102]);
});

test('LAPI down: nothing is lost, retried with back-off, each sent once when it is back; a ban ended meanwhile is not sent', async () => {
  const { lapi, db, pusher, tick } = setup();
  lapi.mode = 'down';
  const [, gone] = insert(db, ban('198.18.5.1/32'), ban('198.18.5.2/32'));
  const r = await pusher.step();
  assert.match(r.error ?? '', /ECONNREFUSED/);
  assert.equal(r.waiting, 2);
  db.decisions.end(gone!.id, { now: T0 + 500, by: 'cli', kind: 'unban' });
  insert(db, ban('198.18.5.3/32', { createdAt: T0 + 500 }));
  lapi.mode = 'up';
  tick(1000);
  const back = await pusher.step();
  assert.equal(back.error, null);
  assert.deepEqual(lapi.alerts.map((a) => a.source.value), ['198.18.5.1', '198.18.5.3']);
  assert.equal(lapi.deleted.length, 0, 'never sent, so nothing to withdraw');
});

test('a lost answer or a kill -9 mid-send: the alert found at the LAPI by its ref is not sent again', async () => {
  const { lapi, db, pusher, dir, tick } = setup();
  await pusher.step(); // logged in, nothing to send
  insert(db, ban('198.18.5.1/32'));
  lapi.mode = 'lost'; // the LAPI stores the alert; its answer never arrives
  const r = await pusher.step();
  assert.match(r.error ?? '', /no answer in time/);
  assert.equal(lapi.alerts.length, 1);
  assert.equal(db.queue.inFlight().length, 1, 'left in flight, not retried blindly');
  db.close();
  // a restart on the same state directory
  lapi.mode = 'up';
  const again = setup(lapi, dir);
  again.tick(5000);
  tick(5000);
  const s = await again.pusher.step();
  assert.equal(s.error, null);
  assert.equal(lapi.alerts.length, 1, 'not sent twice');
  assert.equal(again.db.queue.counts().sent, 1);
  again.db.close();
});

test('a wrong password is one clear error naming the machine; nothing is dropped', async () => {
  const lapi = fakeLapi();
  lapi.password = 'other';
  const { db, pusher } = setup(lapi);
  insert(db, ban('198.18.5.1/32'));
  const r = await pusher.step();
  assert.equal(r.error, 'login refused for machine "sg-a": check crowdsec.push.login and its password (POST /v1/watchers/login: HTTP 401 (incorrect Username or Password))');
  assert.equal(r.waiting, 1);
});
