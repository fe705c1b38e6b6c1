import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configFrom } from '../config/load.js';
import { assess } from './assess.js';
import { summarizeSources } from './sources.js';
import { defenderSourceOptions, INITIAL, track, type TrackerState } from './tracker.js';
import { fixtureSample, fixtureSnapshots, T0 } from '../testing/samples.js';
import { buildSnapshot, type Snapshot } from './snapshot.js';

const base = configFrom({});

function run(prev: Snapshot | undefined, cur: Snapshot, state: TrackerState = INITIAL, now = T0 + 1000, c = base) {
  const sources = summarizeSources(cur, defenderSourceOptions(c.detection));
  const assessment = assess(prev, cur, c.detection, sources);
  return track(state, { assessment, sources, detection: c.detection, calmMs: 30_000, now });
}
const tick = (capture: string, state?: TrackerState, now?: number, c?: typeof base) => {
  const [prev, cur] = fixtureSnapshots(capture);
  return run(prev, cur, state, now, c);
};

test('concentrated flood: the one source is an offender, an attack starts, the verdict is unchanged', () => {
  const out = tick('concentrated-v4');
  assert.deepEqual(out.offenders.map((o) => o.value), ['198.18.0.2/32']);
  assert.equal(out.spoofed, false);
  assert.equal(out.changed, 'started');
  assert.equal(out.state.attack.kind, 'syn-flood');
});

test('spoofed floods: no offenders, the guard says why', () => {
  for (const capture of ['spoofed-v4-cookies', 'spoofed-v4-nocookies']) {
    const out = tick(capture);
    assert.deepEqual(out.offenders, [], capture);
    assert.equal(out.spoofed, true, capture);
    assert.match(out.guardReason ?? '', /spread over many sources/);
  }
});

test('too many sources above threshold trips the guard, but a hot prefix is still named', () => {
  const strict = configFrom({ detection: { synFlood: { maxOffenders: 10 }, halfOpen: { ban: 2, clear: 1 } } });
  const out = tick('syn-v6', INITIAL, T0 + 1000, strict);
  assert.equal(out.spoofed, true);
  assert.match(out.guardReason ?? '', /a spread flood, likely spoofed/);
  assert.deepEqual(out.offenders.map((o) => o.value), ['2001:db8::/64']);
});

test('IPv6: the heavy address, and its /64 for the 200 rotating addresses besides it', () => {
  const out = tick('syn-v6');
  assert.deepEqual(out.offenders.map((o) => o.value).sort(), ['2001:db8::/64', '2001:db8::2/128']);
});

test('one heavy address does not get its whole /24 banned', () => {
  const out = tick('concentrated-v4', INITIAL, T0 + 1000, configFrom({ detection: { prefixHalfOpen: { ban: 100, clear: 50 } } }));
  assert.deepEqual(out.offenders.map((o) => o.value), ['198.18.0.2/32'], 'its 129 half-open are its own, not the prefix\'s');
});

test('connection flood: both sources, the IPv4-mapped one as IPv4', () => {
  const out = tick('connection-flood');
  assert.deepEqual(out.offenders.map((o) => o.value).sort(), ['198.18.0.2/32', '2001:db8::2/128']);
  assert.equal(out.state.attack.kind, 'connection-flood');
});

test('hysteresis: a flagged source stays an offender until below clear', () => {
  const c = configFrom({ detection: { halfOpen: { ban: 200, clear: 100 } } });
  assert.deepEqual(tick('concentrated-v4', INITIAL, T0 + 1000, c).offenders, [], '129 is below the ban threshold of 200');
  const hot: TrackerState = { ...INITIAL, hot: new Set(['198.18.0.2/32']) };
  assert.deepEqual(tick('concentrated-v4', hot, T0 + 1000, c).offenders.map((o) => o.value), ['198.18.0.2/32'], '129 is still above clear (100)');
});

test('a source gaining many connections between two looks is not an offender for its rate alone', () => {
  // 300 connections in 2 s from one address: the socket table says what the server keeps, not what a client sends
  // (a busy proxy looks the same). Only concurrency counts here; the kernel meter (detection.synRate) weighs rates.
  const prev = buildSnapshot(fixtureSample('idle', 0), { ipv4: 24, ipv6: 64 });
  const cur = buildSnapshot({ ...fixtureSample('connection-flood', 1), takenAt: prev.takenAt + 2000 }, { ipv4: 24, ipv6: 64 });
  const c = configFrom({ detection: { established: { ban: 1_000_000, clear: 999_999 } } });
  assert.deepEqual(run(prev, cur, INITIAL, cur.takenAt, c).offenders, []);
});

test('each kind of offender has its own cap: established.maxOffenders for connection floods', () => {
  const capped = configFrom({ detection: { established: { maxOffenders: 1 } } });
  const out = tick('connection-flood', INITIAL, T0 + 1000, capped);
  assert.deepEqual(out.offenders, [], 'two sources hold ≥ 50 established: more than 1 is not "a few"');
  assert.match(out.guardReason ?? '', /2\+ sources each hold ≥ 50 established connections/);
  // the half-open cap does not limit established offenders any more
  const synCapped = configFrom({ detection: { synFlood: { maxOffenders: 1 } } });
  assert.deepEqual(tick('connection-flood', INITIAL, T0 + 1000, synCapped).offenders.map((o) => o.value).sort(), ['198.18.0.2/32', '2001:db8::2/128']);
});

test('each kind of offender has its own cap: synFlood.maxOffenders for half-open floods', () => {
  const capped = configFrom({ detection: { synFlood: { maxOffenders: 1 } } });
  const out = tick('syn-v6', INITIAL, T0 + 1000, configFrom({ detection: { synFlood: { maxOffenders: 1 }, halfOpen: { ban: 2, clear: 1 } } }));
  assert.equal(out.spoofed, true);
  assert.match(out.guardReason ?? '', /a spread flood, likely spoofed/);
  // the established cap does not limit half-open offenders
  const estCapped = configFrom({ detection: { established: { maxOffenders: 1 } } });
  assert.deepEqual(tick('concentrated-v4', INITIAL, T0 + 1000, estCapped).offenders.map((o) => o.value), ['198.18.0.2/32']);
  assert.deepEqual(tick('concentrated-v4', INITIAL, T0 + 1000, capped).offenders.map((o) => o.value), ['198.18.0.2/32'], 'one source is within a cap of 1');
});

test('the attack ends only after calmMs without one', () => {
  const started = tick('concentrated-v4');
  const calm = (now: number) => tick('idle', started.state, now);
  assert.equal(calm(T0 + 20_000).changed, null);
  assert.equal(calm(T0 + 20_000).state.attack.active, true);
  const ended = calm(T0 + 31_000);
  assert.equal(ended.changed, 'ended');
  assert.equal(ended.state.attack.active, false);
  assert.equal(tick('concentrated-v4', started.state, T0 + 2000).changed, null, 'an ongoing attack does not restart');
});
