// Opening the store: creation (0700, WAL), migrations from empty, idempotent reopen, newer schemas, unusable dirs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from './open.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import { SynguardError } from '../core/errors.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'synguard-store-'));
}

test('creates the state directory 0700 and a WAL database at the latest schema version', () => {
  const root = tempDir();
  try {
    const dir = join(root, 'nested', 'state');
    const store = openStore(dir);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(store.path).mode & 0o777, 0o600);
    assert.deepEqual(store.migrated, { from: 0, to: SCHEMA_VERSION });
    store.close();
    const raw = new Database(join(dir, 'synguard.db'), { readonly: true });
    assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(raw.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    raw.close();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('an existing empty database file is migrated; reopening is idempotent and keeps the data', () => {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, 'synguard.db'), '');
    const first = openStore(dir);
    assert.deepEqual(first.migrated, { from: 0, to: SCHEMA_VERSION });
    first.sysctls.saveOnce('net.ipv4.tcp_synack_retries', '5', 1000);
    first.close();
    const second = openStore(dir);
    assert.deepEqual(second.migrated, { from: SCHEMA_VERSION, to: SCHEMA_VERSION });
    assert.equal(second.sysctls.originals().get('net.ipv4.tcp_synack_retries'), '5');
    second.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a later migration applies on top of an existing database, once', () => {
  const dir = tempDir();
  try {
    openStore(dir).close();
    const next = [...MIGRATIONS, 'ALTER TABLE events ADD COLUMN severity INTEGER'];
    const upgraded = openStore(dir, next);
    assert.deepEqual(upgraded.migrated, { from: SCHEMA_VERSION, to: SCHEMA_VERSION + 1 });
    upgraded.close();
    assert.deepEqual(openStore(dir, next).migrated, { from: SCHEMA_VERSION + 1, to: SCHEMA_VERSION + 1 });
    // The older synguard now refuses the newer schema instead of misreading it.
    assert.throws(() => openStore(dir), (e: unknown) => e instanceof SynguardError && e.code === 'config' && /newer than this synguard knows/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a failing migration leaves the previous version in place', () => {
  const dir = tempDir();
  try {
    openStore(dir).close();
    assert.throws(() => openStore(dir, [...MIGRATIONS, 'CREATE TABLE x (a); THIS IS NOT SQL']));
    const again = openStore(dir);
    assert.deepEqual(again.migrated, { from: SCHEMA_VERSION, to: SCHEMA_VERSION });
    again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a state directory that cannot be used fails with a clear error naming it', () => {
  const dir = tempDir();
  try {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    assert.throws(() => openStore(join(file, 'state')), (e: unknown) =>
      e instanceof SynguardError && e.code === 'config' && e.message.includes(join(file, 'state')) && /not a directory/.test(e.message));
    // sysfs refuses mkdir even to root (EPERM), which stands in for a directory we may not write.
    assert.throws(() => openStore('/sys/synguard-test-state'), (e: unknown) =>
      e instanceof SynguardError && e.code === 'permission' && /\/sys\/synguard-test-state is not writable/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
