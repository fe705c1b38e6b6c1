// Run ids and object names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labIdOf, newLabId, nsName, vethName } from './names.js';

test('names carry the run id and stay within interface limits', () => {
  const id = newLabId();
  assert.match(id, /^[0-9a-f]{6}$/);
  assert.equal(nsName(id, 'victim'), `sgl-${id}-victim`);
  assert.ok(vethName(id, 'v', 51).length <= 15);
  assert.equal(labIdOf(nsName(id, 'a1')), id);
  assert.equal(labIdOf('sgcap-123456-v'), null);
});
