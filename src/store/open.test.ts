// Opening the store: creation (0700, WAL), migrations from empty, idempotent reopen, newer schemas, unusable dirs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { looseModes, openStore } from './open.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import { SynguardError } from '../core/errors.js';
import { exec } from '../core/exec.js';
import { needs } from '../testing/needs.js';

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
    // procfs answers ENOENT to mkdir under an existing directory: an error, not a hang (Node's recursive mkdir loops there)
    assert.throws(() => openStore('/proc/synguard-test-state/x'), (e: unknown) =>
      e instanceof SynguardError && /\/proc\/synguard-test-state\/x cannot be used/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unprivileged user gets a permission error for a directory it may not write, existing or not', needs(['root', 'setpriv'], async () => {
  const root = tempDir();
  try {
    chmodSync(root, 0o755);
    mkdirSync(join(root, 'existing'), { mode: 0o755 });
    const openJs = new URL('./open.js', import.meta.url).href;
    const script = `import(${JSON.stringify(openJs)}).then((m) => { for (const d of process.argv.slice(1)) {
      try { m.openStore(d); console.log('opened'); } catch (e) { console.log(e.code + ': ' + e.message); } } })`;
    const r = await exec('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', script,
      join(root, 'existing'), join(root, 'new', 'state')]);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 2, r.stdout + r.stderr);
    for (const [i, dir] of [join(root, 'existing'), join(root, 'new', 'state')].entries()) {
      assert.match(lines[i] ?? '', new RegExp(`^permission: state directory ${dir} is not writable \\(EACCES\\): run as root or choose another --state-dir$`));
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}));

test('the CLI and the daemon can hold the store open together (WAL)', () => {
  const dir = tempDir();
  try {
    const daemon = openStore(dir);
    const cli = openStore(dir);
    cli.decisions.insert({ scope: 'ip', value: '198.51.100.7/32', action: 'ban', reason: 'manual ban', evidence: [], origin: 'manual', createdAt: 1, until: 100, offence: 1 });
    assert.equal(daemon.decisions.active(50).length, 1, 'the daemon sees the manual ban at its next tick');
    cli.close();
    daemon.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('looseModes names the state directory, database or token others can read; none for a fresh store', () => {
  const dir = tempDir();
  const store = openStore(dir);
  try {
    chmodSync(dir, 0o700);
    assert.deepEqual(looseModes(dir).filter((w) => !w.includes('-wal') && !w.includes('-shm')), []);
    chmodSync(join(dir, 'synguard.db'), 0o644);
    chmodSync(dir, 0o755);
    const warnings = looseModes(dir);
    assert.ok(warnings.some((w) => w.startsWith(`${dir} is mode 0755`)), warnings.join('; '));
    assert.ok(warnings.some((w) => w.includes('synguard.db is mode 0644')), warnings.join('; '));
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
