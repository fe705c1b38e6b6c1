// The recorder on captured kernel snapshots: peaks, the cookie balance, the heaviest sources, bounded memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSnapshot, type Snapshot } from '../detect/snapshot.js';
import { DEFAULT_PREFIXES, fixtureSample, T0 } from '../testing/samples.js';
import type { DecisionRecord } from '../store/index.js';
import type { SynSender } from '../detect/syn-senders.js';
import { PROXY, sampleSenders } from '../testing/syn-senders.js';
import { recordHardening, recordTick, RECORDER_DEFAULTS, startRecord, type RecorderState } from './recorder.js';
import { cookieBalance, finishReport, REPORT_ID, reportId } from './report.js';

/** The capture's two samples, then the second again at later times (counters flat): a flood that holds, then stops growing. */
function sequence(capture: string, ticks: number): Snapshot[] {
  const out = [0, 1].map((w) => buildSnapshot(fixtureSample(capture, w as 0 | 1), DEFAULT_PREFIXES));
  for (let i = 2; i < ticks; i++) out.push(buildSnapshot(fixtureSample(capture, 1, { takenAt: T0 + i * 1000 }), DEFAULT_PREFIXES));
  return out;
}

function record(capture: string, ticks: number, kind: RecorderState['kind'], every = 5000): RecorderState {
  const snaps = sequence(capture, ticks);
  const s = startRecord({ eventId: 7, kind, summary: 'a flood', evidence: ['e1'], at: T0 + 1000 });
  for (let i = 1; i < snaps.length; i++) recordTick(s, { at: snaps[i]!.takenAt, prev: snaps[i - 1], cur: snaps[i]!, kind }, { top: 20, keep: 500, sourceEveryMs: every });
  return s;
}

const decision = (id: number, value: string, createdAt: number): DecisionRecord => ({
  id, scope: 'ip', value, action: 'ban', reason: 'SYN flood', evidence: [], origin: 'auto', createdAt, until: createdAt + 600_000, offence: 1, endedAt: null, endedBy: null, endKind: null, dryRun: false,
});

test('a spoofed flood: peaks from the snapshots, and cookies that never come back read as spoofed', () => {
  const s = record('spoofed-v4-cookies', 6, 'spoofed-syn-flood');
  assert.equal(s.ticks, 5);
  assert.equal(s.peaks.halfOpen?.value, 129);
  assert.equal(s.peaks.cookiesSentPerSecond?.value, 32945 - 27165);
  assert.equal(s.peaks.cookiesSentPerSecond?.at, T0 + 1000);
  const r = finishReport(s, T0 + 6000, []);
  assert.deepEqual([r.cookies.sent, r.cookies.returned, r.cookies.failed], [5780, 0, 0]);
  assert.equal(r.cookies.returnRatio, 0);
  assert.match(r.cookies.verdict, /only 0\.00% of the cookies came back: the handshakes were never completed: spoofed sources/);
  assert.ok(r.sources.maxDistinct >= 129, `${r.sources.maxDistinct} distinct sources`);
  assert.equal(r.durationSeconds, 5);
  assert.deepEqual(r.classes, { 'spoofed-syn-flood': 5 });
  assert.equal(r.decisions.count, 0);
});

test('a concentrated flood: the one attacker tops the sources and its /24 the prefixes', () => {
  const s = record('concentrated-v4', 4, 'syn-flood', 0);
  const r = finishReport(s, T0 + 4000, []);
  const top = r.sources.top[0]!;
  assert.equal(top.maxHalfOpen, 129);
  assert.equal(top.seen, 3, 'sampled every tick with sourceEveryMs 0');
  assert.equal(r.sources.prefixes[0]?.prefix, top.prefix);
  assert.equal(r.sources.prefixes[0]?.maxHalfOpen, 129);
  assert.ok(r.listenerPeak && r.listenerPeak.synRecv > 0, 'the fullest SYN queue is named');
});

test('sources are summarised at most every sourceEveryMs, the first tick always', () => {
  const s = record('concentrated-v4', 12, 'syn-flood', 5000);
  const r = finishReport(s, T0 + 12_000, []);
  assert.equal(r.sources.top[0]?.seen, 3, 'ticks at 1 s, 6 s and 11 s');
});

test('memory stays bounded: at most twice `keep` sources are ever held', () => {
  const snaps = sequence('spoofed-v4-cookies', 3);
  const s = startRecord({ eventId: 1, kind: 'spoofed-syn-flood', summary: '', evidence: [], at: T0 });
  for (let i = 0; i < 40; i++) recordTick(s, { at: T0 + i * 1000, prev: snaps[0], cur: snaps[1]!, kind: 'spoofed-syn-flood' }, { top: 50, keep: 20, sourceEveryMs: 0 });
  assert.ok(Object.keys(s.sources).length <= 40, `${Object.keys(s.sources).length} sources held`);
  assert.ok(Object.keys(s.sources).length >= 20);
});

test('decisions between start and end only, oldest first; hardening on and off; the id sorts by time', () => {
  const s = record('concentrated-v4', 3, 'syn-flood');
  recordHardening(s, T0 + 1000, 'attack', ['net.ipv4.tcp_synack_retries 5 -> 2']);
  recordHardening(s, T0 + 3000, 'calm', ['net.ipv4.tcp_synack_retries 2 -> 5']);
  const r = finishReport(s, T0 + 3000, [
    decision(3, '198.18.2.2/32', T0 + 9000), decision(2, '198.18.1.3/32', T0 + 2000), decision(1, '198.18.1.2/32', T0 + 1500), decision(0, '198.18.0.9/32', T0 - 5000),
  ]);
  assert.deepEqual(r.decisions.list.map((d) => d.value), ['198.18.1.2/32', '198.18.1.3/32']);
  assert.deepEqual(r.decisions.scopes, { ip: 2 });
  assert.deepEqual(r.hardening.map((h) => h.state), ['on', 'off']);
  assert.equal(r.id, '20261125T120001Z-7');
  assert.match(r.id, REPORT_ID);
  assert.ok(reportId(T0 + 86_400_000, 2) > reportId(T0, 10), 'later attacks sort later whatever their ids');
});

test('the cookie balance: none sent, mixed, real, failed validations, counters missing', () => {
  assert.match(cookieBalance({ SyncookiesSent: 5 }, { SyncookiesSent: 5 }).verdict, /no SYN cookies were sent/);
  assert.match(cookieBalance({ SyncookiesSent: 0, SyncookiesRecv: 0 }, { SyncookiesSent: 1000, SyncookiesRecv: 200 }).verdict, /20\.0% .*a mix/);
  const real = cookieBalance({ SyncookiesSent: 0, SyncookiesRecv: 0, SyncookiesFailed: 0 }, { SyncookiesSent: 1000, SyncookiesRecv: 950, SyncookiesFailed: 7 });
  assert.match(real.verdict, /95\.0% .*\(real hosts, not spoofed\); 7 ACKs carried an invalid cookie/);
  assert.equal(real.returnRatio, 0.95);
  assert.match(cookieBalance(null, null).verdict, /did not report/);
});

/** Ticks of a spoofed flood, the meter's senders of each given (one list per tick, 1 s apart from T0 + 1 s). */
function meterRecord(lists: ReadonlyArray<readonly SynSender[]>, o = RECORDER_DEFAULTS): RecorderState {
  const snaps = sequence('spoofed-v4-cookies', 2);
  const s = startRecord({ eventId: 9, kind: 'spoofed-syn-flood', summary: '', evidence: [], at: T0 + 1000 });
  lists.forEach((synSenders, i) => recordTick(s, { at: T0 + 1000 * (i + 1), prev: snaps[0], cur: snaps[1]!, kind: 'spoofed-syn-flood', synSenders }, o));
  return s;
}

const sender = (address: string, synPerSecond: number, proven = false, dropped = !proven): SynSender => ({ address, synPerSecond, proven, dropped });

test('the kernel meter\'s senders: the peak rate of each and when, proven or dropped at any sample, fastest first in the report', () => {
  const s = meterRecord([
    sampleSenders(8),
    [sender('198.18.0.1', 2500), sender('198.18.0.2', 100), sender('198.18.0.3', 40, true)],
    [], // the meter named nobody this tick
  ]);
  const r = finishReport(s, T0 + 4000, []);
  const list = r.synSenders ?? [];
  assert.deepEqual(list[0], { address: '198.18.0.1', maxSynPerSecond: 2500, at: new Date(T0 + 2000).toISOString(), proven: false, dropped: true, seen: 2 });
  assert.deepEqual(list.find((x) => x.address === '198.18.0.2'), {
    address: '198.18.0.2', maxSynPerSecond: 1900, at: new Date(T0 + 1000).toISOString(), proven: false, dropped: true, seen: 2,
  }, 'the peak stays when the rate falls');
  const third = list.find((x) => x.address === '198.18.0.3');
  assert.deepEqual([third?.proven, third?.dropped], [true, true], 'dropped at first, then proven: both are told');
  assert.deepEqual(list.filter((x) => x.proven && !x.dropped).map((x) => x.address), [PROXY.address]);
  assert.ok(list.some((x) => x.address === '203.0.113.0/24' && x.dropped), 'a prefix dropped as a whole');
  assert.ok(list.every((x, i) => i === 0 || x.maxSynPerSecond <= list[i - 1]!.maxSynPerSecond), 'fastest first');
  assert.equal(list.length, 10);
  // no meter: an empty list, not a missing one
  assert.deepEqual(finishReport(meterRecord([[], []]), T0 + 3000, []).synSenders, []);
});

test('the senders stay bounded like the other lists: the top of each tick, never more than 1,000 held, the fastest kept', () => {
  const o = RECORDER_DEFAULTS;
  assert.equal(o.keep * 2, 1000);
  // 150 ticks, each naming 30 senders never seen before, and one steady flooder faster than all of them
  const lists = Array.from({ length: 150 }, (_, t) => [sender('198.18.255.1', 50_000),
    ...Array.from({ length: 30 }, (_, i) => sender(`10.${t}.${i}.1`, 1000 + t * 30 - i))].sort((a, b) => b.synPerSecond - a.synPerSecond));
  const s = meterRecord(lists, o);
  const held = Object.keys(s.synSenders ?? {}).length;
  assert.ok(held <= 1000 && held >= o.keep, `senders held: ${held}`);
  // the steady flooder and 10.t.0.1 … 10.t.18.1 make a tick's top 20; 10.t.19.1 and slower are never taken
  assert.ok(!Object.keys(s.synSenders ?? {}).some((a) => /^10\.\d+\.(19|2\d)\.1$/.test(a)), `only the top ${o.top} of a tick are taken`);
  assert.equal(s.synSenders?.['198.18.255.1']?.seen, 150, 'the fastest is never forgotten');
  assert.equal(finishReport(s, T0 + 200_000, []).synSenders?.length, 20, 'the report lists 20');
});

test('a checkpoint written before the meter existed (no synSenders) still records and reports', () => {
  const snaps = sequence('spoofed-v4-cookies', 2);
  const old = startRecord({ eventId: 3, kind: 'syn-flood', summary: '', evidence: [], at: T0 });
  delete old.synSenders;
  const restored = JSON.parse(JSON.stringify(old)) as RecorderState;
  assert.deepEqual(finishReport(restored, T0 + 1000, []).synSenders, []);
  recordTick(restored, { at: T0 + 1000, prev: snaps[0], cur: snaps[1]!, kind: 'syn-flood', synSenders: [sender('198.18.0.7', 3000)] });
  assert.equal(finishReport(restored, T0 + 2000, []).synSenders?.[0]?.maxSynPerSecond, 3000);
});
