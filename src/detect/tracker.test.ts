import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configFrom } from '../config/load.js';
import { assess, offenderOptions } from './assess.js';
import { summarizeSources } from './sources.js';
import { CALM, track, type AttackState, type TrackerOptions } from './tracker.js';
import { fixtureSnapshots, T0 } from '../testing/samples.js';
import { buildSnapshot } from './snapshot.js';
import { fixtureSample } from '../testing/samples.js';

const cfg = configFrom({}).assessment;
const opts: TrackerOptions = { newConnectionsPerSecond: 0, calmSeconds: 30 };

function tick(capture: string, state: AttackState = CALM, now = T0 + 1000, c = cfg) {
  const [prev, cur] = fixtureSnapshots(capture);
  const src = summarizeSources(cur, offenderOptions(c));
  return track(state, prev, cur, assess(prev, cur, c, src), src, c, opts, now);
}

test('concentrated flood: the one source is an offender and an attack starts', () => {
  const out = tick('concentrated-v4');
  assert.deepEqual(out.offenders.map((o) => o.value), ['198.18.0.2/32']);
  assert.equal(out.spoofed, false);
  assert.equal(out.changed, 'started');
  assert.equal(out.attack.kind, 'syn-flood');
});

test('spoofed floods: no offenders, the guard says why', () => {
  for (const capture of ['spoofed-v4-cookies', 'spoofed-v4-nocookies']) {
    const out = tick(capture);
    assert.deepEqual(out.offenders, [], capture);
    assert.equal(out.spoofed, true, capture);
    assert.match(out.guardReason ?? '', /spread over many sources/);
  }
});

test('too many sources above threshold trips the guard, but a single hot prefix is still named', () => {
  const strict = configFrom({ assessment: { synFlood: { perSourceHalfOpen: 2, maxOffenders: 10 } } }).assessment;
  const out = tick('syn-v6', CALM, T0 + 1000, strict);
  assert.equal(out.spoofed, true);
  assert.match(out.guardReason ?? '', /a spread flood, likely spoofed/);
  assert.deepEqual(out.offenders.map((o) => o.value), ['2001:db8::/64']);
});

test('IPv6: the heavy address and its rotating /64 are both offenders', () => {
  const out = tick('syn-v6');
  assert.deepEqual(out.offenders.map((o) => o.value).sort(), ['2001:db8::/64', '2001:db8::2/128']);
});

test('connection flood: both sources, the IPv4-mapped one as IPv4', () => {
  const out = tick('connection-flood');
  assert.deepEqual(out.offenders.map((o) => o.value).sort(), ['198.18.0.2/32', '2001:db8::2/128']);
  assert.equal(out.attack.kind, 'connection-flood');
});

test('new connections per second, from the growth of a source between two snapshots', () => {
  const prev = buildSnapshot(fixtureSample('idle', 0), { ipv4: 24, ipv6: 64 });
  const cur = buildSnapshot({ ...fixtureSample('connection-flood', 1), takenAt: prev.takenAt + 2000 }, { ipv4: 24, ipv6: 64 });
  const src = summarizeSources(cur, offenderOptions(cfg));
  const loose = configFrom({ assessment: { connectionFlood: { perSourceEstablished: 1_000_000 } } }).assessment;
  const out = track(CALM, prev, cur, assess(prev, cur, loose, src), summarizeSources(cur, offenderOptions(loose)), loose, { ...opts, newConnectionsPerSecond: 100 }, cur.takenAt);
  const v4 = out.offenders.find((x) => x.value === '198.18.0.2/32');
  assert.ok(v4, JSON.stringify(out.offenders));
  assert.match(v4.evidence[0] ?? '', /^150 new connections\/s/); // 300 in 2 s
});

test('the attack ends only after calmSeconds without one', () => {
  const started = tick('concentrated-v4');
  const calm = (now: number) => tick('idle', started.attack, now);
  assert.equal(calm(T0 + 20_000).changed, null);
  assert.equal(calm(T0 + 20_000).attack.active, true);
  const ended = calm(T0 + 31_000);
  assert.equal(ended.changed, 'ended');
  assert.equal(ended.attack.active, false);
  assert.equal(tick('concentrated-v4', started.attack, T0 + 2000).changed, null, 'an ongoing attack does not restart');
});
