// The address plan: client/attacker prefix sharing and lab-range confinement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planPeers } from './addressing.js';
import { insideLabRanges } from './flood-args.js';
import { networkOf } from '../core/address.js';

test('the client shares the first attacker /24 and /64 with its second address', () => {
  const [client, attacker] = planPeers(1, 2);
  assert.ok(client && attacker);
  assert.equal(networkOf(client.v4[1]!, 24), networkOf(attacker.v4[0]!, 24));
  assert.equal(networkOf(client.v6[1]!, 64), networkOf(attacker.v6[0]!, 64));
  assert.notEqual(networkOf(client.v4[0]!, 24), networkOf(attacker.v4[0]!, 24));
  assert.equal(client.v4.length, 3);
});

test('every planned address and route lies in the lab ranges', () => {
  for (const p of planPeers(3, 4)) {
    for (const a of [...p.v4, ...p.v6, ...p.victimRoutes4, ...p.victimRoutes6]) assert.ok(insideLabRanges(a), a);
  }
});

test('bad counts are refused', () => {
  assert.throws(() => planPeers(0, 1), /attackers/);
  assert.throws(() => planPeers(1, 0), /clientExtraAddrs/);
});
