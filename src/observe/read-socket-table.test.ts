// /proc/net/tcp6 missing (IPv6 disabled) or unreadable must not stop the IPv4 defence; tcp itself must be readable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SynguardError } from '../core/errors.js';
import { fixtureBytes } from '../testing/fixtures.js';
import { tempDir } from '../testing/temp.js';
import { readSocketTables } from './read-socket-table.js';
import { SocketTally } from './socket-tally.js';

test('tcp6 missing: read as none; unreadable (here a directory, EISDIR): skipped, one bad line; tcp unreadable: an error', () => {
  const dir = tempDir('sg-tcp6-');
  const tcp = join(dir, 'tcp');
  writeFileSync(tcp, fixtureBytes('concentrated-v4', 'tcp'));
  const whole = readSocketTables(new SocketTally(), [tcp]);
  assert.ok(whole.rows > 0);
  assert.deepEqual(readSocketTables(new SocketTally(), [tcp, join(dir, 'absent')]), whole);
  const broken = join(dir, 'tcp6');
  mkdirSync(broken);
  assert.deepEqual(readSocketTables(new SocketTally(), [tcp, broken]), { rows: whole.rows, badLines: whole.badLines + 1 });
  assert.throws(() => readSocketTables(new SocketTally(), [broken, tcp]), SynguardError);
});
