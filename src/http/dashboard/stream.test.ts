// The live stream over real HTTP: headers, the first message with the buffered history, one frame per tick,
// change events, the heartbeat, the cap on open streams, and cleanup when a page goes away.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { get, createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AddressInfo } from 'node:net';
import { configFrom } from '../../config/load.js';
import { eventBus, type EventBus } from '../../bus/events.js';
import { buildAllowList } from '../../decide/index.js';
import { buildReport } from '../../detect/report.js';
import { openStore, type Store } from '../../store/index.js';
import { fixtureSnapshots, T0 } from '../../testing/samples.js';
import { sampleSenders } from '../../testing/syn-senders.js';
import type { HttpDeps } from '../deps.js';
import { startHttp, type HttpServer } from '../server.js';
import { sampleTicks } from '../../testing/sample-ticks.js';
import { optionalEndpoints } from './routes.js';
import { STREAM_DEFAULTS, StreamHub } from './stream.js';

interface Message { event: string; data: unknown }

/** An SSE client on node:http: collects messages and comments; `close()` drops the connection. */
function openStream(url: string): Promise<{ res: IncomingMessage; messages: Message[]; comments: string[]; next(event: string, after?: number): Promise<Message>; close(): void }> {
  return new Promise((resolve, reject) => {
    const req = get(url, (res) => {
      const messages: Message[] = [];
      const comments: string[] = [];
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event !== undefined && data !== undefined) messages.push({ event, data: JSON.parse(data) as unknown });
          else comments.push(block);
        }
      });
      res.on('error', () => undefined);
      const next = async (event: string, afterIndex = 0): Promise<Message> => {
        for (let waited = 0; waited < 5000; waited += 10) {
          const hit = messages.slice(afterIndex).find((m) => m.event === event);
          if (hit) return hit;
          await sleep(10);
        }
        throw new Error(`no "${event}" message; got ${messages.map((m) => m.event).join(', ')}`);
      };
      resolve({ res, messages, comments, next, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

let dir: string;
let store: Store;
let events: EventBus;
let server: HttpServer;
let base: string;
const statusCalls = { count: 0 };

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'synguard-stream-'));
  store = openStore(dir);
  events = eventBus((err) => { throw err; });
  const config = configFrom({});
  const [prev, cur] = fixtureSnapshots('spoofed-v4-cookies');
  const report = buildReport(prev, cur, config.detection, 10);
  const deps: HttpDeps = {
    status: () => { statusCalls.count++; return report; },
    store, events, config, token: 't', allow: () => buildAllowList({}), now: () => T0,
  };
  server = await startHttp(deps, '127.0.0.1:0');
  base = `http://${server.address}`;
});

after(async () => {
  await server.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const ticks = sampleTicks(Array.from({ length: 20 }, (_, i) => ({
  synRecv: i < 10 ? 2 : 40 * (i - 9), established: 5, sent: i < 10 ? 0 : 1000 * (i - 9) ** 2, recv: 3 * i, underAttack: i >= 12,
})));

test('no page open: ticks fill the history but the report (every source walked) is never built', () => {
  const before = statusCalls.count;
  for (const t of ticks.slice(0, 15)) events.emit(t);
  assert.equal(statusCalls.count, before);
});

test('a new stream gets SSE headers, then the last 15 minutes at once, then one frame per tick', async () => {
  const s = await openStream(`${base}/api/v1/stream`);
  try {
    assert.equal(s.res.statusCode, 200);
    assert.equal(s.res.headers['content-type'], 'text/event-stream; charset=utf-8');
    assert.equal(s.res.headers['cache-control'], 'no-store');
    assert.equal(s.res.headers['content-length'], undefined, 'an open-ended body');
    const hello = (await s.next('history')).data as {
      windowMs: number; endpoints: Record<string, boolean>;
      series: { t: number[]; synRecv: number[]; cookiesSent: Array<number | null>; attack: number[] };
      frame: { verdict: { kind: string }; underAttack: boolean; listeners: unknown[]; sources: unknown[] };
    };
    assert.equal(s.messages[0]?.event, 'history', 'history comes first');
    assert.equal(hello.windowMs, 15 * 60_000);
    assert.deepEqual(hello.series.t, ticks.slice(0, 15).map((t) => t.at));
    assert.deepEqual(hello.series.synRecv.slice(9), [2, 40, 80, 120, 160, 200]);
    assert.deepEqual(hello.series.cookiesSent.slice(0, 3), [null, 0, 0]);
    assert.equal(hello.series.cookiesSent[11], 3000, 'SyncookiesSent per second from the counters');
    assert.deepEqual([hello.series.attack[11], hello.series.attack[12]], [0, 1]);
    assert.deepEqual([hello.frame.verdict.kind, hello.frame.underAttack], ['spoofed-syn-flood', true]);
    assert.ok(hello.frame.listeners.length > 0 && hello.frame.sources.length > 0, 'queues and top sources come from the report');
    // the optional panels' endpoints, as the app routes them (the reports endpoint is there)
    assert.deepEqual(Object.keys(hello.endpoints).sort(), ['reports', 'upstream']);
    assert.equal(hello.endpoints.reports, true);
    assert.equal(typeof hello.endpoints.upstream, 'boolean');

    const calls = statusCalls.count;
    events.emit(ticks[15]!);
    const frame = (await s.next('tick')).data as { at: number; point: { synRecv: number }; attackSince: number };
    assert.deepEqual([frame.at, frame.point.synRecv, frame.attackSince], [ticks[15]!.at, 240, ticks[12]!.at]);
    assert.equal(statusCalls.count, calls + 1, 'one report per frame while a page is open');
    const seen = s.messages.length;
    events.emit(ticks[16]!);
    const second = (await s.next('tick', seen)).data as { point: { synRecv: number } };
    assert.equal(second.point.synRecv, 280);

    events.emit({ type: 'bans', at: ticks[16]!.at, decisions: [] });
    events.emit({ type: 'attack-end', at: ticks[16]!.at, eventId: 1, kind: 'spoofed-syn-flood', startedAt: ticks[12]!.at });
    assert.deepEqual((await s.next('change')).data, { type: 'bans', at: ticks[16]!.at, count: 0 });
    assert.ok(s.messages.some((m) => m.event === 'change' && (m.data as { type: string }).type === 'attack-end'));
  } finally {
    s.close();
  }
});

test('the frames carry the kernel meter\'s top SYN senders of the latest tick, and none once it has none', async () => {
  const s = await openStream(`${base}/api/v1/stream`);
  try {
    const hello = (await s.next('history')).data as { frame: { synSenders: unknown[] } };
    assert.deepEqual(hello.frame.synSenders, [], 'the ticks so far had no meter');
    const meter = sampleTicks([
      { synRecv: 5, established: 5, sent: 0, recv: 0, underAttack: true, synSenders: sampleSenders(30) },
      { synRecv: 5, established: 5, sent: 0, recv: 0, underAttack: true },
    ], T0 + 60_000);
    events.emit(meter[0]!);
    type Senders = { synSenders: Array<{ address: string; synPerSecond: number; proven: boolean; dropped: boolean }> };
    const frame = (await s.next('tick')).data as Senders;
    assert.equal(frame.synSenders.length, 10, 'the top 10 of 32');
    assert.deepEqual(frame.synSenders[0], { address: '198.18.0.1', synPerSecond: 2000, proven: false, dropped: true });
    const seen = s.messages.length;
    events.emit(meter[1]!);
    assert.deepEqual(((await s.next('tick', seen)).data as Senders).synSenders, []);
  } finally {
    s.close();
  }
});

test('streams are capped; a closed page frees its place; the stream is open to anyone (no token)', async () => {
  for (let i = 0; i < STREAM_DEFAULTS.maxStreams + 2; i++) {
    const head = await fetch(`${base}/api/v1/stream`, { method: 'HEAD' });
    assert.deepEqual([head.status, head.headers.get('content-type')], [200, 'text/event-stream; charset=utf-8'], 'HEAD holds no stream open');
  }
  const open = await Promise.all(Array.from({ length: STREAM_DEFAULTS.maxStreams }, () => openStream(`${base}/api/v1/stream`)));
  assert.ok(open.every((s) => s.res.statusCode === 200));
  const refused = await fetch(`${base}/api/v1/stream`);
  assert.equal(refused.status, 503);
  assert.equal(refused.headers.get('retry-after'), '10');
  assert.match(((await refused.json()) as { error: string }).error, /too many dashboard streams/);
  for (const s of open) s.close();
  let again = 503;
  for (let i = 0; i < 100 && again === 503; i++) {
    await sleep(20);
    const res = await fetch(`${base}/api/v1/stream`, { signal: AbortSignal.timeout(2000) }).catch(() => null);
    again = res?.status ?? 0;
    await res?.body?.cancel();
  }
  assert.equal(again, 200, 'a place is free once the pages are gone');
});

test('the hub: heartbeat comments while a stream is open, a closed stream is forgotten; a client that stops reading is dropped', async () => {
  const hub = new StreamHub({ heartbeatMs: 30, maxBufferedBytes: 64 * 1024 });
  const http: Server = createServer((req, res) => hub.open(req, res, () => 'event: history\ndata: {}\n\n'));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/`;
  try {
    const s = await openStream(url);
    await s.next('history');
    await sleep(200);
    assert.ok(s.comments.filter((c) => c === ': heartbeat').length >= 2, `heartbeats: ${s.comments.join('|')}`);
    assert.equal(hub.size, 1);
    s.close();
    for (let i = 0; i < 100 && hub.size > 0; i++) await sleep(10);
    assert.equal(hub.size, 0, 'the closed stream is forgotten');

    // a client that never reads: its socket buffers fill, then our write buffer; past the limit it is cut off
    const stalled = await openStream(url);
    stalled.res.pause();
    const big = 'x'.repeat(16 * 1024);
    for (let i = 0; i < 400 && hub.size > 0; i++) {
      hub.broadcast('tick', big);
      await sleep(1);
    }
    assert.equal(hub.size, 0, 'the stalled client was dropped');
    stalled.close();
  } finally {
    hub.close();
    http.closeAllConnections();
    await new Promise<void>((r) => http.close(() => r()));
  }
});

test('optional panels follow the route table: an endpoint nobody routes is reported absent', () => {
  assert.deepEqual(optionalEndpoints(), { reports: false, upstream: false });
  assert.deepEqual(optionalEndpoints((p) => p === '/api/v1/reports'), { reports: true, upstream: false });
  assert.deepEqual(optionalEndpoints((p) => /^\/api\/v1\/(reports|upstream)$/.test(p)), { reports: true, upstream: true });
});
