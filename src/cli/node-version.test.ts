// An older Node.js is refused with one line before anything native loads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tooOldNode } from './node-version.js';

test('Node.js 24 and later run; 20 and 22 are refused with one line naming the version and the binary', () => {
  assert.equal(tooOldNode('v24.21.0', '/usr/local/bin/node'), null);
  assert.equal(tooOldNode('v25.0.0', '/usr/local/bin/node'), null);
  for (const old of ['v20.19.2', 'v22.12.0', 'nonsense']) {
    const line = tooOldNode(old, '/usr/bin/node');
    assert.match(line ?? '', new RegExp(`^Node\\.js 24 or newer is needed; this is Node\\.js ${old} \\(/usr/bin/node\\)\\. `));
    assert.equal(line?.includes('\n'), false);
  }
  assert.equal(tooOldNode(process.version, process.execPath), null, 'the Node.js running this test is supported');
});
