// A webhook endpoint that accepts the connection and never answers: the daemon's event hand-off returns at once, each
// attempt ends at the webhook's timeout and is retried a bounded number of times, and the failure is logged as data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import { memoryLog } from '../core/log.js';
import { T0 } from '../testing/clock.js';
import { notifySchema } from '../config/notify.js';
import { startNotifier } from './notifier.js';

test('webhook that hangs forever: never blocks the daemon; attempts time out, are bounded, and are logged', async () => {
  const held: ServerResponse[] = [];
  const srv = createServer((_req, res) => { held.push(res); }); // never answers
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  try {
    const log = memoryLog();
    const cfg = notifySchema.parse({ webhooks: [{ url: `http://127.0.0.1:${port}/hook`, timeout: '1s' }], retries: 1 });
    const n = startNotifier(cfg, { log, now: () => T0, host: 'h', backoff: { baseMs: 20, factor: 2, maxMs: 50, jitter: 0 } });
    const handed = n.handle({ type: 'hardening', at: T0, mode: 'attack', changes: ['net.ipv4.tcp_syncookies 0 -> 1'] });
    assert.equal(handed, undefined, 'the hand-off is synchronous: nothing for the daemon to wait on');
    await n.stop(5000);
    assert.equal(held.length, 2, 'one attempt and one retry reached the endpoint');
    assert.deepEqual(n.sinks[0]?.counts, { delivered: 0, failed: 1, dropped: 0, attempts: 2 });
    assert.ok(log.lines.some((l) => /no answer within 1000 ms/.test(JSON.stringify(l))), JSON.stringify(log.lines));
  } finally {
    for (const res of held) res.destroy();
    srv.closeAllConnections();
    await new Promise<void>((r) => srv.close(() => r()));
  }
});
