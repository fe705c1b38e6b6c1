// GET /api/v1/upstream in-process: the store's announcements, the live controller state when one is registered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi } from '../testing/test-app.js';
import { T0 } from '../testing/samples.js';
import type { UpstreamStatus } from './controller.js';

test('GET /api/v1/upstream: open announcements, recent ones, and the live state of a running controller', async () => {
  let live: UpstreamStatus | null = null;
  const api = await startTestApi({ upstream: () => live });
  try {
    const a = api.store.announcements.add({ kind: 'flowspec-discard', prefix: '198.18.0.1/32', port: 80, bytesPerSecond: null, reason: 'uplink saturated', evidence: ['inbound at 97% of capacity'], origin: 'auto', createdAt: T0 - 1000, until: T0 + 60_000 });
    const b = api.store.announcements.add({ kind: 'rtbh', prefix: '198.18.0.1/32', port: null, bytesPerSecond: null, reason: 'manual', evidence: [], origin: 'manual', createdAt: T0 - 500, until: T0 + 60_000 });
    api.store.announcements.end(b.id, T0, 'cli', 'withdrawn');
    const res = await api.call('/api/v1/upstream', { token: null });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { enabled: boolean; live: unknown; announcements: Array<{ id: number; until: string }>; recent: Array<{ id: number; endKind: string | null }> };
    assert.equal(body.enabled, false);
    assert.equal(body.live, null);
    assert.deepEqual(body.announcements.map((r) => [r.id, r.until]), [[a.id, new Date(T0 + 60_000).toISOString()]]);
    assert.deepEqual(body.recent.map((r) => [r.id, r.endKind]), [[b.id, 'withdrawn'], [a.id, null]]);
    live = { enabled: true, dryRun: false, interface: 'eth0', capacityBps: 1e9, refused: null, announcements: [],
      pressure: { pressured: true, since: T0, signals: ['inbound at 97% of capacity'], utilisation: 0.97, rxBitsPerSecond: 9.7e8, rxDropsPerSecond: 0 },
      speaker: { state: 'running', error: null, peers: { '198.51.100.1': 'up' }, announced: [] } } satisfies UpstreamStatus;
    const withLive = (await (await api.call('/api/v1/upstream', { token: null })).json()) as { live: { pressure: { utilisation: number }; speaker: { peers: object } } };
    assert.equal(withLive.live.pressure.utilisation, 0.97);
    assert.deepEqual(withLive.live.speaker.peers, { '198.51.100.1': 'up' });
    assert.equal((await api.call('/api/v1/upstream?x=1', { token: null })).status, 400);
  } finally {
    await api.close();
  }
});
