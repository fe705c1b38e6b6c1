// Delivery for real: a local HTTP server that fails twice then accepts; a refusal is not retried; a full queue
// drops its oldest message; a command hook really runs and reads the message on stdin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryLog } from '../core/log.js';
import { notifySchema } from '../config/notify.js';
import { hardening, type Message } from './messages.js';
import { startNotifier } from './notifier.js';
import { Sink } from './sink.js';
import { webhookDeliver } from './webhook.js';
import { commandDeliver } from './command.js';

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);
const FAST = { baseMs: 20, factor: 2, maxMs: 200, jitter: 0 };

async function body(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req as AsyncIterable<Buffer>) text += chunk.toString();
  return text;
}

/** A server on 127.0.0.1 answering each POST with the next status of `statuses` (the last one repeats). */
async function server(statuses: number[]) {
  const seen: Array<{ body: Message; headers: IncomingMessage['headers'] }> = [];
  const srv = createServer((req, res) => {
    void body(req).then((text) => {
      seen.push({ body: JSON.parse(text) as Message, headers: req.headers });
      res.writeHead(statuses[Math.min(seen.length - 1, statuses.length - 1)] ?? 200).end();
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/hook?token=s3cret`, seen, close: () => new Promise<void>((r) => srv.close(() => r())) };
}

test('webhook: fails twice with 503, then accepts; the same message (same id) is retried with back-off', async () => {
  const s = await server([503, 503, 200]);
  const log = memoryLog();
  const cfg = notifySchema.parse({ webhooks: [{ url: s.url, headers: { Authorization: 'Bearer t0k' } }], retries: 5 });
  const n = startNotifier(cfg, { log, now: () => T0, host: 'h', backoff: FAST });
  n.handle({ type: 'hardening', at: T0, mode: 'attack', changes: ['net.ipv4.tcp_syncookies 0 -> 1'] });
  await n.stop(5000);
  await s.close();
  assert.equal(s.seen.length, 3);
  assert.equal(new Set(s.seen.map((x) => x.body.id)).size, 1, 'a retry is the same message');
  assert.equal(s.seen[0]?.body.type, 'hardening');
  assert.equal(s.seen[0]?.headers['authorization'], 'Bearer t0k');
  assert.equal(s.seen[0]?.headers['content-type'], 'application/json');
  assert.deepEqual(n.sinks[0]?.counts, { delivered: 1, failed: 0, dropped: 0, attempts: 3 });
  const retries = log.lines.filter((l) => l['event'] === 'notify-retry');
  assert.deepEqual(retries.map((l) => [l['error'], l['inMs']]), [['HTTP 503', 20], ['HTTP 503', 40]]);
  assert.ok(!JSON.stringify(log.lines).includes('s3cret'), 'the query string (a secret) is never logged');
});

test('webhook: a 400 is not retried; the attempts are bounded when the server keeps failing', async () => {
  const refused = await server([400]);
  const down = await server([500]);
  const log = memoryLog();
  const message = hardening({ id: 'm1', host: 'h', at: T0 }, 'calm', []);
  const a = new Sink({ name: 'a', deliver: webhookDeliver(notifySchema.parse({ webhooks: [{ url: refused.url }] }).webhooks[0]!), retries: 5, queue: 10, log, backoff: FAST });
  const b = new Sink({ name: 'b', deliver: webhookDeliver(notifySchema.parse({ webhooks: [{ url: down.url }] }).webhooks[0]!), retries: 2, queue: 10, log, backoff: FAST });
  a.enqueue(message);
  b.enqueue(message);
  assert.ok(await a.drain(5000));
  assert.ok(await b.drain(5000));
  await refused.close();
  await down.close();
  assert.equal(refused.seen.length, 1);
  assert.equal(down.seen.length, 3, 'first attempt + 2 retries');
  assert.deepEqual([a.counts.failed, b.counts.failed], [1, 1]);
  assert.match(String(log.lines.find((l) => l['event'] === 'notify-failed' && l['to'] === 'a')?.['error']), /HTTP 400/);
});

test('webhook: nobody listening is a logged failure, never a throw', async () => {
  const closed = await server([200]);
  await closed.close(); // its port is now free: connections are refused
  const log = memoryLog();
  const sink = new Sink({ name: 'c', deliver: webhookDeliver(notifySchema.parse({ webhooks: [{ url: closed.url }] }).webhooks[0]!), retries: 1, queue: 10, log, backoff: FAST });
  sink.enqueue(hardening({ id: 'm', host: 'h', at: T0 }, 'attack', []));
  assert.ok(await sink.drain(5000));
  assert.equal(sink.counts.failed, 1);
  assert.match(String(log.lines.find((l) => l['event'] === 'notify-failed')?.['error']), /ECONNREFUSED/);
});

test('a full queue drops the oldest and says so', async () => {
  const log = memoryLog();
  const delivered: string[] = [];
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => { release = r; });
  const sink = new Sink({ name: 'q', retries: 0, queue: 2, log, deliver: async (m) => { await gate; delivered.push(m.id); return { ok: true, retry: false, detail: '' }; } });
  for (const id of ['m1', 'm2', 'm3', 'm4']) sink.enqueue(hardening({ id, host: 'h', at: T0 }, 'attack', []));
  release();
  assert.ok(await sink.drain(2000));
  assert.deepEqual(delivered, ['m1', 'm3', 'm4'], 'm1 was in flight; m2 was the oldest waiting');
  assert.deepEqual(log.lines.filter((l) => l['event'] === 'notify-dropped').map((l) => l['id']), ['m2']);
});

test('command hook: the program runs from argv, reads the JSON on stdin and sees SYNGUARD_* variables', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sg-hook-'));
  try {
    const out = join(dir, 'msg.json');
    const script = 'cat > "$1"; printf "%s %s %s" "$SYNGUARD_EVENT" "$SYNGUARD_SCHEMA" "$SYNGUARD_HARDENING" > "$1.env"';
    const log = memoryLog();
    const cfg = notifySchema.parse({ commands: [{ run: ['/bin/sh', '-c', script, 'hook', out] }, { run: ['/bin/sh', '-c', 'echo broken >&2; exit 3'] }, { run: ['/bin/true'] }] });
    const n = startNotifier(cfg, { log, now: () => T0, host: 'h' });
    n.handle({ type: 'hardening', at: T0, mode: 'attack', changes: ['net.ipv4.tcp_synack_retries 5 -> 2'] });
    await n.stop(5000);
    const msg = JSON.parse(readFileSync(out, 'utf8')) as Message;
    assert.equal(msg.type, 'hardening');
    assert.ok(msg.type === 'hardening' && msg.state === 'on' && msg.changes[0] === 'net.ipv4.tcp_synack_retries 5 -> 2');
    assert.equal(readFileSync(`${out}.env`, 'utf8'), 'hardening 1 on');
    const failed = log.lines.filter((l) => l['event'] === 'notify-failed');
    assert.equal(failed.length, 1, 'the failing hook is logged, /bin/true (which never reads stdin) is fine');
    assert.match(String(failed[0]?.['error']), /exit code 3: broken/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('command hook: a missing program and a timeout are reported as data', async () => {
  const missing = await commandDeliver({ run: ['/nonexistent/hook'], timeout: 1000 })(hardening({ id: 'x', host: 'h', at: T0 }, 'calm', []), new AbortController().signal);
  assert.deepEqual([missing.ok, missing.retry], [false, false]);
  assert.match(missing.detail, /cannot start \/nonexistent\/hook: ENOENT/);
  const slow = await commandDeliver({ run: ['/bin/sleep', '5'], timeout: 1000 })(hardening({ id: 'y', host: 'h', at: T0 }, 'calm', []), new AbortController().signal);
  assert.match(slow.detail, /killed after 1000 ms/);
});

test('stop with a short deadline abandons a message waiting to be retried, and leaves no timer behind', async () => {
  const s = await server([503]);
  const log = memoryLog();
  const cfg = notifySchema.parse({ webhooks: [{ url: s.url }], retries: 5 });
  const n = startNotifier(cfg, { log, now: () => T0, host: 'h', backoff: { baseMs: 600_000, factor: 2, maxMs: 600_000, jitter: 0 } });
  n.handle({ type: 'hardening', at: T0, mode: 'attack', changes: [] });
  n.handle({ type: 'hardening', at: T0, mode: 'calm', changes: [] });
  while (s.seen.length === 0) await new Promise((r) => setTimeout(r, 10));
  await n.stop(200); // a 10-minute back-off would keep this file running if any timer survived
  await s.close();
  assert.equal(s.seen.length, 1, 'no retry after the stop');
  assert.deepEqual(log.lines.filter((l) => l['event'] === 'notify-dropped').map((l) => l['why']), ['daemon stopping']);
});
