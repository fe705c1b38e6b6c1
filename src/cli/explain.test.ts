// Why an address is banned, on a temp store at a fixed clock: the decision in force (or the prefix covering it), earlier offences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Decision } from '../core/decision.js';
import { T0 } from '../testing/clock.js';
import { withStore } from '../testing/store.js';
import { explain, explanationJson, renderExplanation } from './explain.js';

const MIN = 60_000;
const ban = (value: string, createdAt: number, minutes: number, extra: Partial<Decision> = {}): Decision => ({
  scope: value.endsWith('/32') || value.endsWith('/128') ? 'ip' : 'prefix', value, action: 'ban', reason: `half-open flood from ${value}`,
  evidence: ['SYN_RECV 180 (ban at 32)', 'SYN-cookie rate 900/s'], origin: 'auto', createdAt, until: createdAt + minutes * MIN, offence: 1, ...extra,
});

test('an address banned now: the decision, its evidence, origin, offence and end; earlier offences newest first', () => {
  withStore((store) => {
    const first = store.decisions.insert(ban('198.51.100.7/32', T0 - 120 * MIN, 10));
    const second = store.decisions.insert(ban('198.51.100.7/32', T0 - 60 * MIN, 20, { offence: 2 }));
    store.decisions.end(second.id, { now: T0 - 50 * MIN, by: 'cli', kind: 'unban' });
    store.decisions.insert(ban('198.51.100.7/32', T0 - 5 * MIN, 40, { offence: 3, origin: 'kernel' }));
    store.decisions.insert(ban('198.51.100.8/32', T0 - 5 * MIN, 40)); // a neighbour: not about this address
    const e = explain('198.51.100.7', store.decisions.history(), T0);
    assert.equal(e.target, '198.51.100.7/32');
    assert.equal(e.inForce?.offence, 3);
    assert.equal(e.inForce?.origin, 'kernel');
    assert.deepEqual(e.earlier.map((d) => d.id), [second.id, first.id]);
    const json = explanationJson(e, T0);
    assert.equal(json.banned, true);
    assert.equal(json.inForce?.until, '2026-11-25T12:35:00Z');
    assert.equal(json.inForce?.secondsLeft, 35 * 60);
    assert.deepEqual(json.inForce?.evidence, ['SYN_RECV 180 (ban at 32)', 'SYN-cookie rate 900/s']);
    assert.equal(json.earlier[0]?.endedBy, 'cli');
    const text = renderExplanation(e, T0);
    assert.match(text, /^198\.51\.100\.7\/32 is banned\n {2}origin: {3}kernel, offence 3\n/);
    assert.match(text, /evidence: SYN_RECV 180 \(ban at 32\)\n {12}SYN-cookie rate 900\/s\n/);
    assert.match(text, /ends: {5}2026-11-25T12:35:00Z \(in 35m0s\)/);
    assert.match(text, /earlier offences \(2\):\n {2}2026-11-25T11:00:00Z {2}198\.51\.100\.7\/32 \(auto, offence 2\) ended 2026-11-25T11:10:00Z by cli: /);
  });
});

test('a prefix ban covers the address; an expired ban is an earlier offence; nothing at all says not banned', () => {
  withStore((store) => {
    store.decisions.insert(ban('203.0.113.9/32', T0 - 90 * MIN, 10));
    store.decisions.insert(ban('203.0.113.0/24', T0 - 2 * MIN, 10, { reason: '8 offenders in 203.0.113.0/24' }));
    const e = explain('203.0.113.9', store.decisions.history(), T0);
    assert.equal(e.inForce?.value, '203.0.113.0/24');
    assert.equal(e.earlier.length, 1);
    assert.match(renderExplanation(e, T0), /^203\.0\.113\.9\/32 is banned \(covered by the prefix ban on 203\.0\.113\.0\/24\)\n/);
    const later = explain('203.0.113.9', store.decisions.history(), T0 + 30 * MIN);
    assert.equal(later.inForce, null);
    assert.equal(later.earlier.length, 2);
    const none = explain('2001:db8::5', store.decisions.history(), T0);
    assert.deepEqual(explanationJson(none, T0), { target: '2001:db8::5/128', banned: false, inForce: null, earlier: [], allowListed: null });
    assert.equal(renderExplanation(none, T0), '2001:db8::5/128 is not banned\nno earlier offences\n');
  });
  assert.throws(() => explain('10.0.0.300', [], T0), /"10\.0\.0\.300" is not an IP address or CIDR/);
});

test('an allow-listed address says so: synguard never bans it', () => {
  const e = explain('127.0.0.1', [], T0, { value: '127.0.0.0/8', source: 'loopback' });
  assert.deepEqual(explanationJson(e, T0).allowListed, { value: '127.0.0.0/8', source: 'loopback' });
  assert.equal(renderExplanation(e, T0), '127.0.0.1/32 is not banned\non the allow-list (loopback: 127.0.0.0/8): synguard never bans it\nno earlier offences\n');
});
