// The dashboard's series and frames, on captured snapshots: points, rates, the 15-minute ring, and a frame's content.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StatusReport } from '../../detect/report.js';
import { configFrom } from '../../config/load.js';
import { buildReport } from '../../detect/report.js';
import { fixtureSnapshots, T0 } from '../../testing/samples.js';
import { sampleSenders } from '../../testing/syn-senders.js';
import { buildFrame, FRAME_ROWS } from './frame.js';
import { sampleTicks } from '../../testing/sample-ticks.js';
import { pointFrom, SeriesRing, toColumns, WINDOW_MS, type Point } from './series.js';

const point = (t: number, synRecv = 0): Point => ({ t, synRecv, established: 1, cookiesSent: 0, cookiesRecv: 0, attack: 0 });

test('a point from a captured spoofed flood: SYN_RECV, established, cookie rates from the counters', () => {
  const [prev, cur] = fixtureSnapshots('spoofed-v4-cookies');
  const p = pointFrom(prev, cur, true);
  assert.deepEqual(p, { t: cur.takenAt, synRecv: 129, established: 5, cookiesSent: 32945 - 27165, cookiesRecv: 0, attack: 1 });
  // the first tick has no earlier sample: no rate, but the counts are there
  const first = pointFrom(undefined, cur, false);
  assert.deepEqual([first.synRecv, first.cookiesSent, first.cookiesRecv, first.attack], [129, null, null, 0]);
  const idle = fixtureSnapshots('idle');
  assert.deepEqual([pointFrom(idle[0], idle[1], false).synRecv, pointFrom(idle[0], idle[1], false).cookiesSent], [0, 0]);
});

test('rates follow the counters over the real gap; a counter that went backwards gives no rate', () => {
  const ticks = sampleTicks([
    { synRecv: 0, established: 3, sent: 100, recv: 10 },
    { synRecv: 50, established: 3, sent: 2100, recv: 60 },
    { synRecv: 90, established: 4, sent: 50, recv: 70 }, // counters reset (a namespace recreated)
  ]);
  const points = ticks.map((t) => pointFrom(t.prev, t.cur, t.underAttack));
  assert.deepEqual(points.map((p) => [p.synRecv, p.cookiesSent, p.cookiesRecv]), [[0, null, null], [50, 2000, 50], [90, null, 10]]);
});

test('the ring keeps 15 minutes at ~1 Hz: oldest first, older points fall out, memory is bounded', () => {
  const ring = new SeriesRing();
  for (let i = 0; i < 2000; i++) ring.push(point(T0 + i * 1000, i));
  const pts = ring.points();
  assert.equal(pts[pts.length - 1]?.t, T0 + 1999 * 1000);
  assert.ok(pts.every((p, i) => i === 0 || p.t > (pts[i - 1]?.t ?? 0)), 'in time order');
  assert.ok(pts[0]!.t >= T0 + 1999 * 1000 - WINDOW_MS, 'nothing older than 15 minutes');
  assert.equal(pts.length, 901, '15 minutes of 1-second points, both ends included');
  assert.ok(ring.size <= 1001, `slots used: ${ring.size}`);
});

test('the ring drops points closer than the gap (a 0.1 s loop), restarts on a clock going backwards', () => {
  const ring = new SeriesRing({ minGapMs: 900 });
  for (let i = 0; i < 30; i++) ring.push(point(T0 + i * 100));
  assert.deepEqual(ring.points().map((p) => p.t - T0), [0, 900, 1800, 2700]);
  assert.equal(ring.push(point(T0 - 60_000)), true);
  assert.deepEqual(ring.points().map((p) => p.t - T0), [-60_000]);
  // a gap in the data (the daemon paused) keeps only what is inside the window
  const gappy = new SeriesRing({ windowMs: 10_000, minGapMs: 1000 });
  for (const t of [0, 1000, 2000, 30_000, 31_000]) gappy.push(point(T0 + t));
  assert.deepEqual(gappy.points().map((p) => p.t - T0), [30_000, 31_000]);
});

test('columns are what uPlot draws: one array per series, the same length', () => {
  const cols = toColumns([point(T0, 3), { ...point(T0 + 1000, 7), cookiesSent: null, attack: 1 }]);
  assert.deepEqual(cols, { t: [T0, T0 + 1000], synRecv: [3, 7], established: [1, 1], cookiesSent: [0, null], cookiesRecv: [0, 0], attack: [0, 1] });
});

test('a frame from a captured spoofed flood: verdict, totals, queue fill, top sources and prefixes', () => {
  const [prev, cur] = fixtureSnapshots('spoofed-v4-cookies');
  const report = buildReport(prev, cur, configFrom({}).detection, 10);
  const tick = { at: cur.takenAt, assessment: report.assessment, underAttack: true, point: pointFrom(prev, cur, true) };
  const f = buildFrame(tick, report, { since: cur.takenAt - 30_000, kind: 'spoofed-syn-flood', banned: [], bannedCount: 0 }, 0);
  assert.equal(f.verdict?.kind, 'spoofed-syn-flood');
  assert.deepEqual([f.underAttack, f.attackSince, f.totals?.halfOpen, f.point?.synRecv], [true, cur.takenAt - 30_000, 129, 129]);
  const busiest = f.listeners[0]!;
  assert.deepEqual([busiest.synRecv, busiest.backlog, busiest.fill], [129, 128, 129 / 128]);
  assert.ok(f.sources.length > 0 && f.sources.length <= FRAME_ROWS.sources && f.sources.every((s) => s.synRecv > 0));
  assert.ok(f.prefixes.length > 0 && f.prefixes.every((p) => /\/24$/.test(p.prefix)));
  // the frame is small whatever the flood: it goes out every second to every open page
  assert.ok(JSON.stringify(f).length < 8000, `frame bytes: ${JSON.stringify(f).length}`);
});

test('a frame before any tick or report says so instead of failing', () => {
  const f = buildFrame(null, null, null, T0);
  assert.deepEqual([f.verdict, f.totals, f.point, f.at, f.listeners.length, f.sources.length], [null, null, null, T0, 0, 0]);
  // when calm, the attack start is not shown even if one was remembered
  const [prev, cur] = fixtureSnapshots('idle');
  const calm = buildFrame({ at: cur.takenAt, assessment: { kind: 'none', summary: 'calm', evidence: [], offenders: [] }, underAttack: false, point: pointFrom(prev, cur, false) }, null, { since: T0, kind: 'syn-flood', banned: [], bannedCount: 0 }, T0);
  assert.deepEqual([calm.verdict?.kind, calm.attackSince, calm.mitigated], ['none', null, null]);
});

test('an attack held open while nothing floods reads as mitigated, naming whom it banned; a live flood does not', () => {
  const [prev, cur] = fixtureSnapshots('idle');
  const at = (kind: 'none' | 'syn-flood') => ({
    at: cur.takenAt, assessment: { kind, summary: '', evidence: [], offenders: [] }, underAttack: true, point: pointFrom(prev, cur, true),
  });
  const attack = { since: T0, kind: 'syn-flood', banned: ['198.18.0.2/32', '198.18.0.3/32'], bannedCount: 5 };
  assert.deepEqual(buildFrame(at('none'), null, attack, T0).mitigated, { kind: 'syn-flood', banned: ['198.18.0.2/32', '198.18.0.3/32'], bannedCount: 5 });
  assert.equal(buildFrame(at('syn-flood'), null, attack, T0).mitigated, null, 'still flooding: not mitigated');
});

test('loopback peers (the dashboard\'s own API connections among them) are never listed as top talkers', () => {
  const [prev, cur] = fixtureSnapshots('spoofed-v4-cookies');
  const report = buildReport(prev, cur, configFrom({}).detection, 10);
  const me = { address: '127.0.0.1', synRecv: 0, established: 40, total: 40 } as unknown as StatusReport['sources'][number];
  const withMe = { ...report, topEstablished: [me, ...report.topEstablished], sources: [{ ...me, synRecv: 3 }, ...report.sources] };
  const f = buildFrame(null, withMe, null, T0);
  assert.ok(f.established.every((s) => s.address !== '127.0.0.1') && f.sources.every((s) => s.address !== '127.0.0.1'));
  assert.equal(f.sources.length, Math.min(FRAME_ROWS.sources, report.sources.filter((s) => s.synRecv > 0).length), 'the others are all kept');
});

test('a frame carries the kernel meter\'s top SYN senders from the tick: 10 at most, highest first, with proven and dropped', () => {
  const [prev, cur] = fixtureSnapshots('spoofed-v4-cookies');
  const tick = (synSenders?: ReturnType<typeof sampleSenders>) => ({
    at: cur.takenAt, assessment: { kind: 'syn-flood' as const, summary: '', evidence: [], offenders: [] }, underAttack: true,
    point: pointFrom(prev, cur, true), ...(synSenders ? { synSenders } : {}),
  });
  const f = buildFrame(tick(sampleSenders(30)), null, null, T0);
  assert.equal(f.synSenders.length, FRAME_ROWS.synSenders);
  assert.deepEqual(f.synSenders[0], { address: '198.18.0.1', synPerSecond: 2000, proven: false, dropped: true });
  assert.ok(f.synSenders.every((s, i) => i === 0 || s.synPerSecond <= f.synSenders[i - 1]!.synPerSecond), 'highest first');
  const few = buildFrame(tick(sampleSenders(8)), null, null, T0).synSenders;
  assert.deepEqual(few.filter((s) => s.proven || s.address.includes('/')).map((s) => `${s.address} ${s.proven} ${s.dropped}`),
    ['198.51.100.20 true false', '203.0.113.0/24 false true']);
  // no meter (or a tick without senders): an empty list, which the page hides
  assert.deepEqual(buildFrame(tick(), null, null, T0).synSenders, []);
  assert.deepEqual(buildFrame(null, null, null, T0).synSenders, []);
});

test('a frame carries the store\'s trouble while it cannot write, and nothing while it can', () => {
  const health = { writable: false, error: 'SQLITE_FULL: database or disk is full', since: T0 - 90_000, held: 3, recoveries: 0 };
  assert.deepEqual(buildFrame(null, null, null, T0, health).storeDegraded, { error: health.error, since: T0 - 90_000, held: 3 });
  assert.equal(buildFrame(null, null, null, T0, { ...health, writable: true, error: null, since: null, held: 0 }).storeDegraded, null);
  assert.equal(buildFrame(null, null, null, T0).storeDegraded, null, 'a store without health (not guarded)');
});
