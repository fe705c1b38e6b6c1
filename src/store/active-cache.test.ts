// The active-decisions cache: served from memory between writes, yet never stale after a write by this connection,
// by another process's connection, or a transaction that rolled back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Decision } from '../core/decision.js';
import { openStore, type DecisionRecord } from './index.js';

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;
const ban = (value: string, minutes: number): Decision => ({
  scope: 'ip', value, action: 'ban', reason: 'test', evidence: [], origin: 'manual', createdAt: T0, until: T0 + minutes * MIN, offence: 1,
});
const values = (ds: readonly { value: string }[]) => ds.map((d) => d.value);

test('active(): cached between writes, exact as time passes, fresh after writes from any connection', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synguard-cache-'));
  const daemon = openStore(dir);
  const cli = openStore(dir); // a second connection, as `synguard ban` in another process has
  try {
    daemon.decisions.insertMany([ban('198.18.0.1/32', 10), ban('198.18.0.2/32', 20)]);
    assert.deepEqual(values(daemon.decisions.active(T0)), ['198.18.0.1/32', '198.18.0.2/32']);
    const rev = daemon.decisions.revision();
    assert.deepEqual(values(daemon.decisions.active(T0 + 15 * MIN)), ['198.18.0.2/32'], 'an expired ban leaves the cached set');
    assert.equal(daemon.decisions.revision(), rev, 'reading changes nothing');
    assert.deepEqual(values(daemon.decisions.active(T0)), ['198.18.0.1/32', '198.18.0.2/32'], 'an earlier time is read again');

    cli.decisions.insert(ban('198.18.0.3/32', 30));
    assert.notEqual(daemon.decisions.revision(), rev, 'a commit by another connection changes the revision');
    assert.deepEqual(values(daemon.decisions.active(T0 + MIN)), ['198.18.0.1/32', '198.18.0.2/32', '198.18.0.3/32']);

    cli.decisions.endValue('198.18.0.2/32', { now: T0 + MIN, by: 'cli', kind: 'unban' });
    assert.deepEqual(values(daemon.decisions.active(T0 + MIN)), ['198.18.0.1/32', '198.18.0.3/32'], 'an unban elsewhere is seen');

    daemon.decisions.extend(daemon.decisions.active(T0 + MIN)[0]?.id ?? 0, T0 + 60 * MIN, T0 + MIN);
    assert.deepEqual(values(daemon.decisions.active(T0 + 40 * MIN)), ['198.18.0.1/32'], 'an extension here is seen');

    assert.throws(() => daemon.transaction(() => {
      daemon.decisions.insert(ban('198.18.0.4/32', 30));
      assert.equal(daemon.decisions.active(T0 + MIN).length, 3, 'visible inside its transaction');
      throw new Error('roll back');
    }));
    assert.deepEqual(values(daemon.decisions.active(T0 + MIN)), ['198.18.0.1/32', '198.18.0.3/32'], 'a rolled-back ban is not served from the cache');

    const page = daemon.decisions.active(T0 + MIN);
    page.pop();
    assert.equal(daemon.decisions.active(T0 + MIN).length, 2, 'callers get their own array');
  } finally {
    cli.close();
    daemon.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('iterateActive(): the same decisions as active(), read a page at a time across page boundaries', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synguard-pages-'));
  const store = openStore(dir);
  try {
    // 2,345 bans: every third expires before the reading time, every seventh is ended; 5 dry-run decisions apart.
    const made = store.decisions.insertMany(Array.from({ length: 2345 }, (_, i) =>
      ban(`198.18.${i >> 8}.${i & 255}/32`, i % 3 === 0 ? 1 : 30)));
    for (const d of made.filter((_, i) => i % 7 === 0)) store.decisions.end(d.id, { now: T0, by: 'cli', kind: 'unban' });
    store.decisions.insertMany(Array.from({ length: 5 }, (_, i) => ({ ...ban(`198.19.0.${i}/32`, 30), dryRun: true })));
    const at = T0 + 5 * MIN;
    const real = store.decisions.active(at);
    assert.ok(real.length > 1000 && real.length < 2345, `several pages, some left out (${real.length})`);
    const listed = (d: DecisionRecord) => ({ value: d.value, scope: d.scope, reason: d.reason, origin: d.origin, createdAt: d.createdAt, until: d.until, offence: d.offence, evidence: d.evidence, dryRun: d.dryRun });
    assert.deepEqual([...store.decisions.iterateActive(at)], real.map(listed));
    assert.deepEqual([...store.decisions.iterateActive(at, true)], store.decisions.active(at, true).map(listed));
    assert.equal([...store.decisions.iterateActive(at, true)].length, 5);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
