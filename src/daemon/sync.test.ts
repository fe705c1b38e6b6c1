import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Decision } from '../core/decision.js';
import { afterCommit, diffBans } from './sync.js';

const NOW = 1_000_000;
const d = (value: string, until: number): Decision => ({ scope: 'ip', value, action: 'ban', reason: 'r', evidence: [], origin: 'auto', createdAt: NOW - 10, until, offence: 1 });

test('new and extended bans are added; ended ones removed; nothing twice', () => {
  const applied = new Map([['198.51.100.1/32', NOW + 500], ['198.51.100.2/32', NOW + 500], ['198.51.100.3/32', NOW + 500]]);
  const active = [d('198.51.100.1/32', NOW + 500), d('198.51.100.2/32', NOW + 9000), d('2001:db8::/64', NOW + 100)];
  const diff = diffBans(active, applied, NOW, true);
  assert.deepEqual(diff.add, [{ value: '198.51.100.2/32', family: 4, until: NOW + 9000 }, { value: '2001:db8::/64', family: 6, until: NOW + 100 }]);
  assert.deepEqual(diff.remove, ['198.51.100.3/32'], 'an unban: ended in the store, still in the kernel');
  const next = afterCommit(applied, diff, NOW);
  assert.deepEqual([...next.keys()].sort(), ['198.51.100.1/32', '198.51.100.2/32', '2001:db8::/64']);
  assert.deepEqual(diffBans(active, next, NOW, true), { add: [], remove: [] });
});

test('a kernel expiry a second short of the store\'s (timeouts count whole seconds) is not re-applied', () => {
  const applied = new Map([['198.51.100.1/32', NOW + 59_200]]);
  assert.deepEqual(diffBans([d('198.51.100.1/32', NOW + 60_000)], applied, NOW, true), { add: [], remove: [] });
});

test('expired bans: left to the kernel where it times them out, removed by hand where it does not (routes)', () => {
  const applied = new Map([['198.51.100.9/32', NOW - 1]]);
  assert.deepEqual(diffBans([], applied, NOW, true).remove, []);
  assert.deepEqual(diffBans([], applied, NOW, false).remove, ['198.51.100.9/32']);
  assert.equal(afterCommit(applied, { add: [], remove: [] }, NOW).size, 0);
});
