import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withStore } from '../testing/store.js';

const T0 = Date.UTC(2026, 0, 1);
const flow = {
  kind: 'flowspec-rate-limit', prefix: '198.18.1.2/32', port: 80, bytesPerSecond: 12800, reason: 'uplink saturated',
  evidence: ['inbound at 97% of capacity'], origin: 'auto', createdAt: T0, until: T0 + 60_000,
} as const;

test('announcements: stored open, ended once with who and how, listed by episode and in history', () => {
  withStore((store) => {
    const a = store.announcements.add(flow);
    const b = store.announcements.add({ ...flow, kind: 'rtbh', port: null, bytesPerSecond: null, createdAt: T0 + 1000 });
    assert.deepEqual(store.announcements.open().map((r) => r.id), [a.id, b.id]);
    assert.deepEqual(store.announcements.open()[0], a);
    assert.equal(store.announcements.end(a.id, T0 + 5000, 'daemon', 'superseded'), true);
    assert.equal(store.announcements.end(a.id, T0 + 6000, 'daemon', 'withdrawn'), false, 'ended only once');
    assert.deepEqual(store.announcements.open().map((r) => r.id), [b.id]);
    const [ended] = store.announcements.endedSince(T0 + 5000);
    assert.deepEqual([ended?.endKind, ended?.endedBy, ended?.endedAt], ['superseded', 'daemon', T0 + 5000]);
    assert.equal(store.announcements.endedSince(T0 + 5001).length, 0);
    assert.deepEqual(store.announcements.history().map((r) => r.kind), ['rtbh', 'flowspec-rate-limit']);
    assert.equal(store.migrated.to >= 2, true);
  });
});
