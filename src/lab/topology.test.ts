// Real labs: concurrent isolation, nothing in the root namespace, teardown leaves nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLab, listLeftovers, withLab } from './topology.js';
import { listNs } from './netns.js';
import { exec } from '../core/exec.js';
import { LAB, needs } from '../testing/needs.js';


test('two concurrent labs are isolated, and teardown leaves nothing behind', needs(LAB, async () => {
  const a = await createLab();
  const b = await createLab({ attackers: 2, clientExtraAddrs: 3 });
  try {
    assert.notEqual(a.id, b.id);
    const names = await listNs();
    for (const ns of [a.victim.ns, a.client.ns, a.attackers[0]!.ns, b.victim.ns, b.attackers[1]!.ns]) assert.ok(names.includes(ns), ns);
    assert.equal(b.attackers.length, 2);
    assert.equal(b.client.v4.length, 4);
    const addrs = await exec('ip', ['-o', 'addr', 'show'], { netns: a.client.ns });
    for (const addr of [...a.client.v4, ...a.client.v6]) assert.ok(addrs.stdout.includes(`${addr}/`), addr);
    const rootLinks = await exec('ip', ['-o', 'link', 'show']);
    assert.ok(!rootLinks.stdout.includes(`sgl-${a.id}`), 'no lab interface in the root namespace');
    await a.teardown();
    assert.deepEqual(await listLeftovers({ id: a.id }), []);
    assert.ok((await listNs()).includes(b.victim.ns), 'tearing down one lab leaves the other alone');
  } finally {
    await a.teardown();
    await b.teardown();
  }
  assert.deepEqual(await listLeftovers({ id: b.id }), []);
}));

test('withLab tears down when the body throws', needs(LAB, async () => {
  let id = '';
  await assert.rejects(
    withLab({}, (lab) => {
      id = lab.id;
      return Promise.reject(new Error('boom'));
    }),
    /boom/,
  );
  assert.deepEqual(await listLeftovers({ id }), []);
}));
