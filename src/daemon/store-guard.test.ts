// The store guard under real SQLite faults (a full database, a read-only connection, a lock held by another
// connection, the database file deleted): the defender keeps banning in the (dry-run) kernel, says so once, and the
// held decisions reach the disk once it can write again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { configFrom } from '../config/load.js';
import { buildAllowList, policyFor } from '../decide/index.js';
import { DryRunEnforcer } from '../enforce/dry-run.js';
import { openStore, type Store } from '../store/index.js';
import { fixtureSample, T0 } from '../testing/samples.js';
import { tempDir } from '../testing/temp.js';
import type { RawSample } from '../detect/snapshot.js';
import { Defender } from './defender.js';
import { memoryLog } from '../core/log.js';
import { guardStore } from './store-guard.js';

/** The dry-run backend as an enforcing one (as src/daemon/defender.test.ts does): its list() is the "kernel". */
function enforcing(): DryRunEnforcer {
  const e = new DryRunEnforcer(() => undefined);
  Object.defineProperty(e, 'enforces', { value: true, configurable: true });
  return e;
}

interface Rig {
  dir: string;
  raw: Store;
  store: Store;
  defender: Defender;
  enforcer: DryRunEnforcer;
  log: ReturnType<typeof memoryLog>;
  clock: { now: number };
  tick(capture: string, seconds?: number): Promise<void>;
}

function rig(dir = tempDir('sg-guard-'), enforcer = enforcing(), prepare: (raw: Store) => void = () => undefined): Rig {
  const raw = openStore(dir);
  prepare(raw);
  const log = memoryLog();
  const clock = { now: T0 };
  const store = guardStore(raw, { now: () => clock.now, log });
  const config = configFrom({});
  let next: RawSample = fixtureSample('idle', 0);
  let which: 0 | 1 = 0;
  const defender = new Defender(config, {
    store, log, enforcer, now: () => clock.now, sample: () => Promise.resolve({ ...next, takenAt: clock.now }),
    decide: policyFor(buildAllowList({}), config), killSockets: null, harden: null,
  });
  return {
    dir, raw, store, defender, enforcer, log, clock,
    tick: async (capture, seconds = 1) => {
      clock.now += seconds * 1000;
      which = which === 0 ? 1 : 0;
      next = fixtureSample(capture, which);
      await defender.tick();
    },
  };
}

/** Fills the database to its page limit, as a full disk would: every later write (to any table) fails. */
function fill(raw: Store): void {
  raw.pragma?.(`max_page_count = ${Number(raw.pragma?.('page_count'))}`);
  const expired = (n: number) => ({ scope: 'ip', value: '198.18.255.255/32', action: 'ban', reason: 'x'.repeat(n), evidence: [], origin: 'manual', createdAt: 0, until: 1, offence: 1 } as const);
  let id = 0;
  for (const n of [300, 30, 0]) {
    for (const write of [() => raw.events.start('f', 'x'.repeat(n), 0), () => raw.decisions.insert(expired(n)), () => raw.sysctls.saveOnce(`f${id++}`, 'x'.repeat(n), 0)]) {
      try {
        for (let i = 0; i < 10_000; i++) write();
        assert.fail('the page limit never refused a write');
      } catch (err) {
        assert.equal((err as { code?: string }).code, 'SQLITE_FULL');
      }
    }
  }
}

const events = (r: Rig, name: string) => r.log.lines.filter((l) => l['event'] === name);
/** The decisions in force as the database file holds them, read by a connection of its own. */
function onDisk(dir: string, now: number): string[] {
  const s = openStore(dir);
  try { return s.decisions.active(now).map((d) => d.value).sort(); } finally { s.close(); }
}
const kernel = async (r: Rig) => (await r.enforcer.list(r.clock.now)).map((b) => b.value).sort();

test('disk full: a flood is still banned in the kernel, said once, and the ban reaches the store once there is room', async () => {
  const r = rig();
  await r.defender.start();
  fill(r.raw);
  for (let i = 0; i < 5; i++) await r.tick('concentrated-v4');
  const banned = await kernel(r);
  assert.equal(banned.length, 1, 'banned in the kernel while the store cannot write');
  assert.equal(events(r, 'store-unwritable').length, 1, 'one line, not one per tick');
  assert.match(String(events(r, 'store-unwritable')[0]?.['error']), /SQLITE_FULL/);
  assert.equal(events(r, 'tick-failed').length, 0);
  assert.deepEqual(r.store.health?.(), { writable: false, error: r.store.health?.().error, since: T0 + 1000, held: r.store.health?.().held, recoveries: 0 });
  assert.ok((r.store.health?.().held ?? 0) >= 2, 'the ban and the attack are held');
  assert.deepEqual(r.store.decisions.active(r.clock.now).map((d) => d.value), banned, 'reads see the held ban');
  assert.deepEqual(onDisk(r.dir, r.clock.now), [], 'not on disk yet');

  r.raw.pragma?.('max_page_count = 1000000'); // room again
  await r.tick('concentrated-v4', 5);
  assert.equal(events(r, 'store-writable').length, 1);
  assert.deepEqual(onDisk(r.dir, r.clock.now), banned, 'written through');
  assert.equal(r.store.health?.().writable, true);
  assert.equal(r.store.health?.().held, 0);
  await r.tick('idle');
  assert.deepEqual(await kernel(r), banned, 'no ban lost or duplicated on the way');
  assert.equal(r.store.decisions.active(r.clock.now).length, 1);
  r.store.close();
});

test('read-only store: same outcome (defending, held, written through once writable)', async () => {
  const r = rig();
  await r.defender.start();
  r.raw.pragma?.('query_only = 1');
  await r.tick('concentrated-v4');
  await r.tick('concentrated-v4');
  assert.equal((await kernel(r)).length, 1);
  assert.match(String(events(r, 'store-unwritable')[0]?.['error']), /SQLITE_READONLY/);
  r.raw.pragma?.('query_only = 0');
  await r.tick('idle', 6);
  assert.deepEqual(onDisk(r.dir, r.clock.now), await kernel(r));
  r.store.close();
});

test('locked by another process: the daemon does not wait on the lock; the held ban is written once it is released', async () => {
  const r = rig();
  await r.defender.start();
  r.raw.pragma?.('busy_timeout = 50');
  const other = new Database(`${r.dir}/synguard.db`);
  other.exec('BEGIN IMMEDIATE');
  await r.tick('concentrated-v4');
  await r.tick('concentrated-v4');
  assert.equal((await kernel(r)).length, 1);
  assert.match(String(events(r, 'store-unwritable')[0]?.['error']), /SQLITE_BUSY/);
  other.exec('ROLLBACK');
  other.close();
  await r.tick('idle', 6);
  assert.equal(events(r, 'store-writable').length, 1);
  assert.deepEqual(onDisk(r.dir, r.clock.now), await kernel(r));
  r.store.close();
});

// The start-up probe is a write of page 1, which a page limit does not refuse: the restart meets a read-only
// connection here, and a really full file system in the e2e test (src/e2e/faults.test.ts).
test('restart while the store still cannot write: the kernel\'s bans are kept (adopted, held), then stored once it can', async () => {
  const first = rig();
  await first.defender.start();
  fill(first.raw);
  await first.tick('concentrated-v4');
  await first.tick('concentrated-v4');
  const banned = await kernel(first);
  assert.equal(banned.length, 1);
  first.store.close(); // the held ban cannot be written: said once
  assert.equal(events(first, 'store-held-lost').length, 1);

  // The same kernel (enforcer), the same full database: a new daemon.
  const again = rig(first.dir, first.enforcer, (raw) => raw.pragma?.('query_only = 1'));
  again.clock.now = first.clock.now + 1000;
  await again.defender.start();
  assert.equal(again.store.health?.().writable, false, 'known unwritable before the reconcile');
  assert.deepEqual(await kernel(again), banned, 'the reconcile kept the kernel\'s ban');
  assert.deepEqual(again.store.decisions.active(again.clock.now).map((d) => d.value), banned);
  again.raw.pragma?.('query_only = 0');
  await again.tick('idle', 6);
  assert.deepEqual(onDisk(again.dir, again.clock.now), banned);
  again.store.close();
});

test('state directory deleted under the daemon: bans and the open attack are re-created in a fresh database', async () => {
  const r = rig();
  await r.defender.start();
  await r.tick('concentrated-v4');
  await r.tick('concentrated-v4');
  const banned = await kernel(r);
  assert.equal(banned.length, 1);
  rmSync(r.dir, { recursive: true, force: true });
  await r.tick('concentrated-v4', 6);
  assert.equal(events(r, 'store-unwritable').length, 1);
  assert.match(String(events(r, 'store-unwritable')[0]?.['error']), /deleted/);
  await r.tick('concentrated-v4', 6);
  assert.equal(events(r, 'store-writable').length, 1);
  assert.deepEqual(onDisk(r.dir, r.clock.now), banned);
  const fresh = openStore(r.dir);
  assert.equal(fresh.events.open().length, 1, 'the attack still open');
  fresh.close();
  assert.deepEqual(await kernel(r), banned);
  assert.deepEqual(r.store.announcements.open(), [], 'announcements follow the fresh database, not the closed one');
  r.store.close();
});

test('upstream announcements while the store cannot write: held, seen by reads, written through once it can', () => {
  const dir = tempDir('sg-guard-ann-');
  const raw = openStore(dir);
  const log = memoryLog();
  const clock = { now: T0 };
  const store = guardStore(raw, { now: () => clock.now, log, retryMs: 1000 });
  const spec = (prefix: string) => ({
    kind: 'rtbh', prefix, port: null, bytesPerSecond: null, reason: 'uplink full', evidence: ['rx 98%'], origin: 'auto', createdAt: clock.now, until: clock.now + 600_000,
  } as const);
  const before = store.announcements.add(spec('198.18.0.1/32'));
  raw.pragma?.('query_only = 1');
  clock.now += 1000;
  const during = store.announcements.add(spec('198.18.0.2/32'));
  assert.ok(during.id < 0, 'held: a temporary id');
  assert.equal(events({ log } as Rig, 'store-unwritable').length, 1, 'said once');
  assert.equal(store.announcements.end(before.id, clock.now, 'daemon', 'withdrawn'), true, 'a stored one ended while unwritable');
  assert.equal(store.announcements.end(before.id, clock.now, 'daemon', 'withdrawn'), false, 'not twice');
  assert.deepEqual(store.announcements.open().map((r) => r.prefix), ['198.18.0.2/32']);
  assert.deepEqual(store.announcements.endedSince(T0).map((r) => r.prefix), ['198.18.0.1/32']);
  assert.equal(store.health?.().held, 2);
  raw.pragma?.('query_only = 0');
  clock.now += 2000;
  const open = store.announcements.open();
  assert.equal(store.health?.().writable, true);
  assert.deepEqual(open.map((r) => [r.prefix, r.id > 0]), [['198.18.0.2/32', true]], 'written through: a real id');
  store.close();
  const fresh = openStore(dir);
  assert.deepEqual(fresh.announcements.open().map((r) => r.prefix), ['198.18.0.2/32']);
  assert.deepEqual(fresh.announcements.history().map((r) => [r.prefix, r.endKind]), [['198.18.0.2/32', null], ['198.18.0.1/32', 'withdrawn']]);
  fresh.close();
});
