// Capacity-relative detection on real captures: Apache prefork (150 slots) under wrk alone, and full under slowloris
// from 8 addresses of 198.18.2.0/24 (25 connections each) beside wrk's 10 keep-alive connections from 198.18.1.2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configFrom } from '../config/load.js';
import { assess } from './assess.js';
import { CAPACITY_IDLE, detectCapacity } from './capacity.js';
import { summarizeSources } from './sources.js';
import { defenderSourceOptions, INITIAL, track } from './tracker.js';
import { fixtureSnapshots, T0 } from '../testing/samples.js';

const cfg = configFrom({});
const SPREAD = Array.from({ length: 8 }, (_, i) => `198.18.2.${2 + i}/32`);

function detect(capture: string, now: number, fullSince: number | null = null, c = cfg, lastFull?: number) {
  const [, cur] = fixtureSnapshots(capture);
  const src = summarizeSources(cur, defenderSourceOptions(c.detection));
  return detectCapacity({ fullSince, ...(lastFull === undefined ? {} : { lastFull }) }, cur.listeners, cur.established, src, c.detection.capacity, now);
}

test('a busy server that keeps up (accept queue empty) is not full: nothing named, the clock resets', () => {
  const out = detect('slots-busy', T0 + 5000, T0, cfg, T0 + 2000);
  assert.deepEqual(out.full, []);
  assert.deepEqual(out.offenders, []);
  assert.deepEqual(out.state, CAPACITY_IDLE);
  // one drained look within fullFor of the last full one keeps the stretch (a server spawning workers)
  assert.deepEqual(detect('slots-busy', T0 + 1500, T0, cfg, T0 + 1000).state, { fullSince: T0, lastFull: T0 + 1000 });
});

test('full, but not yet for fullFor: the stretch starts, nothing named', () => {
  const out = detect('slots-spread', T0);
  assert.match(out.full[0] ?? '', /\[::\]:8080 \(60 waiting for accept, backlog 511\)/);
  assert.deepEqual(out.offenders, []);
  assert.deepEqual(out.state, { fullSince: T0, lastFull: T0 });
});

test('full for 2 s: the 8 addresses holding the slots are named, not the client nor its address in the same /24', () => {
  const out = detect('slots-spread', T0 + 2000, T0);
  assert.deepEqual(out.offenders.map((o) => o.value).sort(), SPREAD);
  // the kernel shows who holds the 150 workers: the spread's sockets the server has read (rx_queue 0); wrk's 10
  // keep-alive connections all wait in the accept queue with their request unread, so they hold nothing
  assert.match(out.offenders[0]?.evidence.join(' ') ?? '', /: holds 1\d \(\d waiting\).*198\.18\.2\.0\/24: holds 150 of 150 slots \(100%; 50 more connections waiting\) from 8 address/);
  // no address of the spread is over the per-source threshold: the fixed counts alone see nothing
  const [, cur] = fixtureSnapshots('slots-spread');
  assert.equal(assess(undefined, cur, cfg.detection).kind, 'none');
});

test('1 s into the flood, Apache still adding workers: the spread holds all 36 slots with 65 more queued; named after fullFor', () => {
  // the table about 1 s after slowloris started: too few slots for the old floor (50 held), but the /24 has 101
  // connections open (minConnections 50) and holds every slot; wrk's address holds none (its 10 wait in the queue)
  const early = detect('slots-early', T0);
  assert.equal(early.pending, true, 'a suspect before fullFor: the daemon looks again sooner');
  assert.deepEqual(early.offenders, []);
  const out = detect('slots-early', T0 + 2000, T0);
  assert.deepEqual(out.offenders.map((o) => o.value).sort(), SPREAD);
  assert.match(out.offenders[0]?.evidence.join(' ') ?? '', /198\.18\.2\.0\/24: holds 36 of 36 slots \(100%; 65 more connections waiting\) from 8 address/);
  assert.equal(out.pending, false);
  // the floors: 101 connections are under a minConnections of 102; 36 slots under a minHeld of 37
  assert.equal(detect('slots-early', T0, null, configFrom({ detection: { capacity: { minConnections: 102 } } })).pending, false);
  assert.deepEqual(detect('slots-early', T0 + 2000, T0, configFrom({ detection: { capacity: { minHeld: 37 } } })).offenders, []);
});

test('the busy server is no suspect: nothing pending, however long its queue', () => {
  const [, cur] = fixtureSnapshots('slots-busy');
  const src = summarizeSources(cur, defenderSourceOptions(cfg.detection));
  const queued = cur.listeners.map((l) => ({ ...l, acceptQueue: 40 }));
  assert.equal(detectCapacity(CAPACITY_IDLE, queued, cur.established, src, cfg.detection.capacity, T0).pending, false);
});

test('more addresses than maxOffenders name the prefix; few each under minPerAddress name nothing; disabled names nothing', () => {
  // each address of the spread has 25 connections open (held or queued)
  assert.deepEqual(detect('slots-spread', T0 + 2000, T0, configFrom({ detection: { capacity: { minPerAddress: 26 } } })).offenders, []);
  const few = detect('slots-spread', T0 + 2000, T0, configFrom({ detection: { capacity: { maxOffenders: 4 } } }));
  assert.deepEqual(few.offenders.map((o) => o.value), ['198.18.2.0/24']);
  assert.deepEqual(detect('slots-spread', T0 + 2000, T0, configFrom({ detection: { capacity: { enabled: false } } })).offenders, []);
});

test('a client holding all of a few slots while 352 wait is not named (the minConnections floor)', () => {
  // seen in the lab: the holders' sockets gone, Apache's queue still long, wrk's 10 connections the only ones held
  const [, cur] = fixtureSnapshots('slots-busy');
  const src = summarizeSources(cur, defenderSourceOptions(cfg.detection));
  const jammed = cur.listeners.map((l) => ({ ...l, acceptQueue: 352 }));
  const out = detectCapacity({ fullSince: T0 }, jammed, cur.established, src, cfg.detection.capacity, T0 + 5000);
  assert.equal(out.full.length, 1);
  assert.deepEqual(out.offenders, []);
  // with a short queue the same client holds all the slots (4; 6 more mid-request): seen in the lab when Apache had
  // spawned a handful of workers and wrk's Connection: close load kept its queue non-empty. With 10 connections open
  // (minConnections 50) and 4 slots (minHeld 10) that is no flood; only with both floors lowered does the share name it
  const short = cur.listeners.map((l) => ({ ...l, acceptQueue: 1 }));
  assert.deepEqual(detectCapacity({ fullSince: T0 }, short, cur.established, src, cfg.detection.capacity, T0 + 5000).offenders, []);
  const held = configFrom({ detection: { capacity: { minHeld: 3 } } }).detection.capacity;
  assert.deepEqual(detectCapacity({ fullSince: T0 }, short, cur.established, src, held, T0 + 5000).offenders, [], 'minConnections alone holds');
  const low = configFrom({ detection: { capacity: { minHeld: 3, minConnections: 10 } } }).detection.capacity;
  assert.deepEqual(detectCapacity({ fullSince: T0 }, short, cur.established, src, low, T0 + 5000).offenders.map((o) => o.value), ['198.18.1.2/32']);
});

test('through the tracker: over two ticks the spread becomes offenders and an attack starts', () => {
  const [prev, cur] = fixtureSnapshots('slots-spread');
  const src = summarizeSources(cur, defenderSourceOptions(cfg.detection));
  const input = { assessment: assess(prev, cur, cfg.detection, src), sources: src, detection: cfg.detection, calmMs: 30_000, listeners: cur.listeners, established: cur.established };
  const first = track(INITIAL, { ...input, now: T0 });
  assert.deepEqual(first.offenders, []);
  assert.equal(first.changed, null);
  const second = track(first.state, { ...input, now: T0 + 2000 });
  assert.deepEqual(second.offenders.map((o) => o.value).sort(), SPREAD);
  assert.equal(second.changed, 'started');
  assert.equal(second.state.attack.kind, 'connection-flood');
  assert.equal(second.verdict.kind, 'connection-flood', 'what the daemon logs and stores as the attack');
  assert.match(second.verdict.summary, /a full server's slots are held/);
  assert.equal(second.spoofed, false);
  // without the listeners (an older caller) the detector does not run
  const older = { ...input, now: T0 + 2000 };
  delete (older as { listeners?: unknown }).listeners;
  assert.deepEqual(track(first.state, older).offenders, []);
});

test('the accept queue is this tick\'s (the LISTEN row\'s rx_queue), not the daemon\'s cached ss read', () => {
  const stale = { ok: true as const, listeners: [{ address: '::', port: 8080, dualStack: true, backlog: 511, acceptQueue: 0 }], badLines: 0 };
  const [, cur] = fixtureSnapshots('slots-spread', { listeners: stale });
  assert.equal(cur.listeners[0]?.backlog, 511);
  assert.ok((cur.listeners[0]?.acceptQueue ?? 0) >= 50, `fresh queue: ${cur.listeners[0]?.acceptQueue}`);
});
