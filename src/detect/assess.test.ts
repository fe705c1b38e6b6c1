import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assess } from './assess.js';
import { configFrom } from '../config/load.js';
import { fixtureSample, fixtureSnapshots } from '../testing/samples.js';
import { buildSnapshot } from './snapshot.js';

const cfg = configFrom({}).detection;

test('idle: no flood', () => {
  const [prev, cur] = fixtureSnapshots('idle');
  const a = assess(prev, cur, cfg);
  assert.equal(a.kind, 'none', a.summary);
});

test('concentrated IPv4 SYN flood names the one attacker', () => {
  const [prev, cur] = fixtureSnapshots('concentrated-v4');
  const a = assess(prev, cur, cfg);
  assert.equal(a.kind, 'syn-flood');
  assert.deepEqual(a.offenders, ['198.18.0.2']);
  assert.match(a.summary, /198\.18\.0\.2/);
  assert.ok(a.evidence.some((e) => /SYN queue full on 0\.0\.0\.0:80 \(129\/128\)/.test(e)), a.evidence.join(' | '));
});

test('spoofed flood with cookies on: many sources, no offenders, cookies carrying it', () => {
  const [prev, cur] = fixtureSnapshots('spoofed-v4-cookies');
  const a = assess(prev, cur, cfg);
  assert.equal(a.kind, 'spoofed-syn-flood');
  assert.deepEqual(a.offenders, []);
  assert.match(a.summary, /cookies are carrying it/);
  assert.ok(a.evidence.some((e) => /^129 distinct sources, none above 31 half-open/.test(e)), a.evidence.join(' | '));
  assert.ok(a.evidence.some((e) => /cookies\/s sent, 0\/s returned/.test(e)));
  assert.ok(a.evidence.some((e) => /0\.00% of cookies come back/.test(e)));
});

test('spoofed flood with cookies off: tens of thousands of sources, and the weak setting is named', () => {
  const [prev, cur] = fixtureSnapshots('spoofed-v4-nocookies');
  const a = assess(prev, cur, cfg);
  assert.equal(a.kind, 'spoofed-syn-flood');
  assert.match(a.summary, /SYN cookies are OFF/);
  assert.ok(cur.halfOpen > 20_000);
  assert.ok(a.evidence.some((e) => /^net\.ipv4\.tcp_syncookies: cookies are off/.test(e)));
});

test('IPv6: addresses rotating inside one /64 are named as the prefix', () => {
  const [prev, cur] = fixtureSnapshots('syn-v6');
  const a = assess(prev, cur, cfg);
  assert.equal(a.kind, 'syn-flood');
  assert.deepEqual(a.offenders, ['2001:db8::/64']);
  assert.ok(a.evidence.some((e) => /2001:db8::\/64 \(201 addresses\): 700 half-open/.test(e)), a.evidence.join(' | '));
});

test('IPv6 with /128 prefixes: one heavy address is not enough for "few sources"', () => {
  const [prev, cur] = fixtureSnapshots('syn-v6', {}, { ipv4: 32, ipv6: 128 });
  const a = assess(prev, cur, cfg);
  // 2001:db8::2 holds 300 of 700; the other 200 addresses hold 2 each: many sources, one standing out
  assert.equal(a.kind, 'spoofed-syn-flood');
});

test('connection flood names both sources, IPv4-mapped one as IPv4', () => {
  const [prev, cur] = fixtureSnapshots('connection-flood');
  const a = assess(prev, cur, cfg);
  assert.equal(a.kind, 'connection-flood');
  assert.deepEqual([...a.offenders].sort(), ['198.18.0.2', '2001:db8::2']);
  assert.ok(a.evidence.includes('198.18.0.2: 300 established'));
});

test('weak configuration when calm: cookies off and a tiny listener backlog', () => {
  const raw0 = fixtureSample('idle', 0);
  const sysctls = { ...raw0.sysctls, 'net.ipv4.tcp_syncookies': 0, 'net.ipv4.tcp_synack_retries': 6 };
  const listeners = raw0.listeners.ok ? { ...raw0.listeners, listeners: raw0.listeners.listeners.map((l) => (l.port === 80 ? { ...l, backlog: 16 } : l)) } : raw0.listeners;
  const [prev, cur] = [0, 1].map((w) => buildSnapshot(fixtureSample('idle', w as 0 | 1, { sysctls, listeners }), { ipv4: 24, ipv6: 64 }));
  const a = assess(prev, cur!, cfg);
  assert.equal(a.kind, 'weak-config');
  assert.match(a.summary, /3 problems/);
  assert.ok(a.evidence.some((e) => e.startsWith('listener 0.0.0.0:80: backlog 16')));
  assert.ok(a.evidence.some((e) => e.startsWith('net.ipv4.tcp_synack_retries: 6 retries')));
});

test('cookies coping: the overflow shows only in the counters, nothing dropped, no source stands out', () => {
  // The counters of the cookie flood, with the socket table of a calm moment (the table is only a sample).
  const calm = fixtureSample('idle', 0);
  const [prev, cur] = [0, 1].map((w) => buildSnapshot({ ...fixtureSample('spoofed-v4-cookies', w as 0 | 1), tally: calm.tally }, { ipv4: 24, ipv6: 64 }));
  const a = assess(prev, cur!, cfg);
  assert.equal(a.kind, 'cookies-coping');
  assert.match(a.summary, /SYN\/s answered with cookies, none dropped/);
});

test('with a single sample, rates are unknown and the table alone decides', () => {
  const [, cur] = fixtureSnapshots('concentrated-v4');
  assert.equal(assess(undefined, cur, cfg).kind, 'syn-flood');
  const [, calm] = fixtureSnapshots('idle');
  assert.equal(assess(undefined, calm, cfg).kind, 'none');
});

test('thresholds come from config', () => {
  const [prev, cur] = fixtureSnapshots('concentrated-v4');
  const strict = configFrom({ detection: { halfOpen: { ban: 500 }, synFlood: { minHalfOpen: 10_000, minCookieRate: 1e9 } } }).detection;
  // the queue is still full, so there is SYN pressure, but no source reaches 500: one source is not "many"
  assert.equal(assess(prev, cur, strict).kind, 'syn-flood');
  assert.deepEqual(assess(prev, cur, strict).offenders, []);
  const lenient = configFrom({ detection: { spoofed: { minSources: 1 }, halfOpen: { ban: 500 } } }).detection;
  assert.equal(assess(prev, cur, lenient).kind, 'spoofed-syn-flood');
});

const realSource = { address: '198.18.3.2', synPerSecond: 1882, proven: false, dropped: true };

test('a real source inside a spoofed flood (hidden from SYN_RECV by cookies) is named from the kernel meter', () => {
  const [prev, cur] = fixtureSnapshots('spoofed-v4-cookies');
  const busy = { address: '198.18.1.2', synPerSecond: 400, proven: true, dropped: false };
  const a = assess(prev, cur, cfg, undefined, [realSource, busy]);
  assert.equal(a.kind, 'spoofed-syn-flood');
  assert.deepEqual(a.offenders, ['198.18.3.2'], 'the proven busy source is not named');
  assert.match(a.summary, /; one real source floods inside it: 198\.18\.3\.2 \(dropped in the kernel\)$/);
  assert.equal(a.evidence[0], '198.18.3.2: 1,882 SYN/s, dropped by the kernel meter');
});

test('a flood the kernel drops before TCP sees it leaves the table calm: the meter still names it', () => {
  const [prev, cur] = fixtureSnapshots('idle');
  assert.equal(assess(prev, cur, cfg).kind, 'none');
  const a = assess(prev, cur, cfg, undefined, [realSource]);
  assert.equal(a.kind, 'syn-flood');
  assert.equal(a.summary, 'SYN flood from 198.18.3.2, dropped in the kernel');
});

test('a kernel drop that no longer sends (a ban now stops it first) is no flood of its own', () => {
  const [prev, cur] = fixtureSnapshots('idle');
  assert.equal(assess(prev, cur, cfg, undefined, [{ ...realSource, synPerSecond: 0 }]).kind, 'none');
});
