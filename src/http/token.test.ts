// The API token: made once with mode 0600, the same after a restart, refused when the file holds something else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existingToken, loadToken, rotateToken, TOKEN_FILE } from './token.js';

test('first start makes a 32-byte token in a 0600 file; later starts read the same one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synguard-token-'));
  try {
    const first = loadToken(join(dir, 'state'));
    assert.equal(Buffer.from(first, 'base64url').length, 32);
    const path = join(dir, 'state', TOKEN_FILE);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(readFileSync(path, 'utf8'), `${first}\n`);
    assert.equal(loadToken(join(dir, 'state')), first);
    chmodSync(path, 0o644);
    assert.equal(loadToken(join(dir, 'state')), first);
    assert.equal(statSync(path).mode & 0o777, 0o600, 'a loosened file is tightened again');
    assert.notEqual(loadToken(join(dir, 'other')), first);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a token file that holds something else is an error that says what to do', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synguard-token-'));
  try {
    writeFileSync(join(dir, TOKEN_FILE), 'hunter2\n', { mode: 0o600 });
    assert.throws(() => loadToken(dir), /does not hold a synguard token .*delete it/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('existingToken never creates one; rotateToken replaces it with a new 0600 token that loadToken then reads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synguard-token-'));
  try {
    assert.equal(existingToken(dir), null);
    assert.throws(() => statSync(join(dir, TOKEN_FILE)), /ENOENT/);
    const first = loadToken(dir);
    assert.equal(existingToken(dir), first);
    const next = rotateToken(dir);
    assert.notEqual(next, first);
    assert.match(next, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(statSync(join(dir, TOKEN_FILE)).mode & 0o777, 0o600);
    assert.equal(loadToken(dir), next, 'the daemon reads the rotated token at its next start');
    assert.deepEqual(readdirSync(dir), [TOKEN_FILE], 'no temporary file left behind');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
