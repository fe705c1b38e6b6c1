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
  const sources = summarizeSources(cur, defenderSourceOptions(c.assessment, c.defender.detection));
  const assessment = assess(prev, cur, c.assessment, sources);
  return track(state, { prev, cur, assessment, sources, assessmentConfig: c.assessment, detection: c.defender.detection, calmMs: 30_000, now });
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
  const strict = configFrom({ assessment: { synFlood: { maxOffenders: 10 } }, defender: { detection: { halfOpen: { ban: 2, clear: 1 } } } });
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
  const out = tick('concentrated-v4', INITIAL, T0 + 1000, configFrom({ defender: { detection: { prefixHalfOpen: { ban: 100, clear: 50 } } } }));
  assert.deepEqual(out.offenders.map((o) => o.value), ['198.18.0.2/32'], 'its 129 half-open are its own, not the prefix\'s');
});

test('connection flood: both sources, the IPv4-mapped one as IPv4', () => {
  const out = tick('connection-flood');
  assert.deepEqual(out.offenders.map((o) => o.value).sort(), ['198.18.0.2/32', '2001:db8::2/128']);
  assert.equal(out.state.attack.kind, 'connection-flood');
});

test('hysteresis: a flagged source stays an offender until below clear', () => {
  const c = configFrom({ defender: { detection: { halfOpen: { ban: 200, clear: 100 } } } });
  assert.deepEqual(tick('concentrated-v4', INITIAL, T0 + 1000, c).offenders, [], '129 is below the ban threshold of 200');
  const hot: TrackerState = { ...INITIAL, hot: new Set(['198.18.0.2/32']) };
  assert.deepEqual(tick('concentrated-v4', hot, T0 + 1000, c).offenders.map((o) => o.value), ['198.18.0.2/32'], '129 is still above clear (100)');
});

test('new connections per second, from the growth of a source between two snapshots', () => {
  const prev = buildSnapshot(fixtureSample('idle', 0), { ipv4: 24, ipv6: 64 });
  const cur = buildSnapshot({ ...fixtureSample('connection-flood', 1), takenAt: prev.takenAt + 2000 }, { ipv4: 24, ipv6: 64 });
  const c = configFrom({ defender: { detection: { established: { ban: 1_000_000, clear: 999_999 } } } });
  const out = run(prev, cur, INITIAL, cur.takenAt, c);
  const v4 = out.offenders.find((x) => x.value === '198.18.0.2/32');
  assert.ok(v4, JSON.stringify(out.offenders));
  assert.match(v4.evidence[0] ?? '', /^150 new connections\/s/); // 300 in 2 s
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
