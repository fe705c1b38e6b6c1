// Messages and batching: a burst of bans in one window is one message; every message has a type and a schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Decision } from '../core/decision.js';
import { memoryLog } from '../core/log.js';
import { attackEnd, attackStart, BanBatch, MESSAGE_SCHEMA, type Message } from './messages.js';
import { notifySchema } from '../config/notify.js';
import { startNotifier } from './notifier.js';

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);

function ban(i: number, scope: 'ip' | 'prefix' = 'ip'): Decision {
  const value = scope === 'ip' ? `198.18.${Math.floor(i / 250)}.${(i % 250) + 1}/32` : `198.19.${i % 256}.0/24`;
  return { scope, value, action: 'ban', reason: 'SYN flood: 40 half-open', evidence: [], origin: 'auto', createdAt: T0 + i, until: T0 + 600_000, offence: 1 };
}

test('a batch keeps the full count and scopes but lists only the first N', () => {
  const b = new BanBatch(20);
  for (let i = 0; i < 480; i++) b.add([ban(i)], T0 + i * 10);
  b.add(Array.from({ length: 20 }, (_, i) => ban(i, 'prefix')), T0 + 9000);
  const m = b.message({ id: 'x', host: 'h', at: T0 + 10_000 });
  assert.equal(m.type, 'bans');
  assert.equal(m.schema, MESSAGE_SCHEMA);
  assert.equal(m.count, 500);
  assert.deepEqual(m.scopes, { ip: 480, prefix: 20 });
  assert.equal(m.bans.length, 20);
  assert.equal(m.more, 480);
  assert.equal(m.bans[0]?.value, '198.18.0.1/32');
  assert.equal(m.from, new Date(T0).toISOString());
  assert.equal(m.to, new Date(T0 + 9000).toISOString());
});

/** A notifier whose only destination (a webhook with a fake fetch) records what it is given. */
function recording(config: object = {}) {
  const got: Message[] = [];
  const cfg = notifySchema.parse({ webhooks: [{ url: 'http://198.18.0.1/hook' }], ...config });
  let now = T0;
  const fakeFetch = (_url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    got.push(JSON.parse(typeof init?.body === 'string' ? init.body : '{}') as Message);
    return Promise.resolve(new Response(null, { status: 204 }));
  };
  const n = startNotifier(cfg, { log: memoryLog(), now: () => now, host: 'victim', fetch: fakeFetch });
  return { got, n, tick: (ms: number) => { now += ms; } };
}

test('500 bans in one window reach the webhook as one message, after the attack start and before its end', async () => {
  const { got, n, tick } = recording({ banBatch: '10s', banSample: 5 });
  n.handle({ type: 'attack-start', at: T0, eventId: 7, kind: 'syn-flood', summary: 'SYN flood from few sources', evidence: ['129 half-open'] });
  for (let i = 0; i < 500; i++) {
    n.handle({ type: 'bans', at: T0 + i, decisions: [ban(i)] });
    tick(1);
  }
  n.handle({ type: 'hardening', at: T0 + 600, mode: 'attack', changes: ['net.ipv4.tcp_synack_retries 5 -> 2'] });
  n.handle({ type: 'attack-end', at: T0 + 130_000, eventId: 7, kind: 'syn-flood', startedAt: T0 });
  await n.stop(2000);
  assert.deepEqual(got.map((m) => m.type), ['attack-start', 'hardening', 'bans', 'attack-end']);
  const bans = got.find((m) => m.type === 'bans');
  assert.ok(bans?.type === 'bans');
  assert.equal(bans.count, 500);
  assert.equal(bans.bans.length, 5);
  const end = got.at(-1);
  assert.ok(end?.type === 'attack-end');
  assert.equal(end.attack.durationSeconds, 130);
  assert.equal(end.attack.summary, 'SYN flood from few sources', 'the end repeats what the start said');
  assert.deepEqual(end.attack.evidence, ['129 half-open']);
  assert.equal(new Set(got.map((m) => m.id)).size, got.length, 'every message has its own id');
  assert.ok(got.every((m) => m.schema === 1 && m.host === 'victim'));
});

test('the ban window closes on its own timer: bans after it start a new message', async () => {
  const { got, n } = recording({ banBatch: '1s' });
  n.handle({ type: 'bans', at: T0, decisions: [ban(1), ban(2)] });
  await new Promise((r) => setTimeout(r, 1300));
  n.handle({ type: 'bans', at: T0 + 1300, decisions: [ban(3)] });
  await n.stop(2000);
  assert.deepEqual(got.map((m) => (m.type === 'bans' ? m.count : -1)), [2, 1]);
});

test('with no destination the listener does nothing: no request, no command, no log line, nothing kept for later', async () => {
  const log = memoryLog();
  const calls: string[] = [];
  const fetchSpy = (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    calls.push(`fetch ${url instanceof Request ? url.url : url.toString()} ${typeof init?.body === 'string' ? (JSON.parse(init.body) as Message).type : ''}`);
    return Promise.resolve(new Response(null, { status: 204 }));
  };
  const n = startNotifier(notifySchema.parse({}), {
    log, now: () => T0, fetch: fetchSpy,
    exec: (file) => { calls.push(`exec ${file}`); return Promise.resolve({ command: file, exitCode: 0, stdout: '', stderr: '', timedOut: false, failed: false }); },
    reportFor: () => { calls.push('reportFor'); return null; },
  });
  assert.equal(n.sinks.length, 0);
  n.handle({ type: 'attack-start', at: T0, eventId: 1, kind: 'syn-flood', summary: 's', evidence: [] });
  n.handle({ type: 'bans', at: T0 + 1, decisions: [ban(1), ban(2)] });
  n.handle({ type: 'hardening', at: T0 + 2, mode: 'attack', changes: ['net.ipv4.tcp_synack_retries 5 -> 2'] });
  n.handle({ type: 'attack-end', at: T0 + 3, eventId: 1, kind: 'syn-flood', startedAt: T0 });
  n.handle({ type: 'bans', at: T0 + 4, decisions: [ban(3)] });
  // a destination added afterwards (SIGHUP) gets only what comes after it: the bans above were never kept
  n.reconfigure(notifySchema.parse({ webhooks: [{ url: 'http://198.18.0.1/hook' }] }));
  await n.stop(2000);
  assert.deepEqual(calls, []);
  assert.deepEqual(log.lines, []);
});

test('attack messages: times in ISO, duration in seconds, unknown start is null', () => {
  const s = attackStart({ id: 'a', host: 'h', at: T0 }, { eventId: 3, kind: 'spoofed-syn-flood', summary: 's', evidence: [] });
  assert.equal(s.attack.startedAt, '2026-11-25T12:00:00.000Z');
  const e = attackEnd({ id: 'b', host: 'h', at: T0 + 5000 }, { eventId: null, kind: 'syn-flood', startedAt: null, summary: null, evidence: [] }, null);
  assert.equal(e.attack.durationSeconds, null);
  assert.equal(e.report, null);
});

test('a reload (SIGHUP) sends the next messages to the new destinations only', async () => {
  const seen: string[] = [];
  const fakeFetch = (url: string | URL | Request): Promise<Response> => {
    seen.push(url instanceof Request ? url.url : url.toString());
    return Promise.resolve(new Response(null, { status: 204 }));
  };
  const n = startNotifier(notifySchema.parse({ webhooks: [{ url: 'http://198.18.0.1/old' }] }), { log: memoryLog(), now: () => T0, fetch: fakeFetch });
  n.handle({ type: 'hardening', at: T0, mode: 'attack', changes: [] });
  n.reconfigure(notifySchema.parse({ webhooks: [{ url: 'http://198.18.0.1/new' }, { url: 'http://198.18.0.2/also' }] }));
  n.handle({ type: 'hardening', at: T0 + 1, mode: 'calm', changes: [] });
  await n.stop(2000);
  assert.deepEqual(seen.sort(), ['http://198.18.0.1/new', 'http://198.18.0.1/old', 'http://198.18.0.2/also']);
  assert.equal(n.sinks.length, 2);
});
