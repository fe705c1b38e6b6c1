import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configFrom } from '../config/load.js';
import { fixtureSnapshots } from '../testing/samples.js';
import { CALM, nextPressure, readLink, type LinkReading, type PressureState } from './saturation.js';

const cfg = configFrom({ upstream: { saturation: { confirm: '3s', calm: '10s' } } }).upstream.saturation;

test('utilisation comes from the captured /proc/net/dev rates against the capacity', () => {
  const [prev, cur] = fixtureSnapshots('spoofed-v4-cookies');
  // eth0 received 313,092 bytes in the captured second: 2.50 Mbit/s.
  const r = readLink(prev, cur, 'eth0', 2_000_000);
  assert.equal(r.rxBitsPerSecond, 313_092 * 8);
  assert.ok(r.utilisation !== null && Math.abs(r.utilisation - 1.252368) < 1e-6, String(r.utilisation));
  assert.equal(r.rxPacketsPerSecond, 33_490 - 27_692);
  assert.equal(readLink(prev, cur, 'eth0', 0).utilisation, null, 'no capacity, no utilisation');
  assert.equal(readLink(prev, cur, 'eth9', 2_000_000).utilisation, null, 'unknown interface');
  assert.equal(readLink(undefined, cur, 'eth0', 2_000_000).utilisation, null, 'first tick has no rate');
});

test('the idle capture is far from saturating a 100 Mbit/s link', () => {
  const [prev, cur] = fixtureSnapshots('idle');
  const r = readLink(prev, cur, 'eth0', 100_000_000);
  assert.ok(r.utilisation !== null && r.utilisation < 0.01, String(r.utilisation));
  assert.equal(nextPressure(CALM, r, cfg).signals.length, 0);
});

const reading = (at: number, over: Partial<LinkReading> = {}): LinkReading => ({
  at: at * 1000, utilisation: 0.1, rxBitsPerSecond: 1e6, rxPacketsPerSecond: 100, rxDropsPerSecond: 0, handshakesPerSecond: 20, ...over,
});

function run(readings: LinkReading[], from: PressureState = CALM): PressureState[] {
  const out: PressureState[] = [];
  let s = from;
  for (const r of readings) out.push((s = nextPressure(s, r, cfg)));
  return out;
}

test('saturation is confirmed only after it lasts `confirm`, and cleared only after `calm` below `exit`', () => {
  const hot = (t: number) => reading(t, { utilisation: 0.95 });
  const states = run([reading(0), hot(1), hot(2), hot(3), hot(4), reading(5, { utilisation: 0.8 }), reading(6), reading(10), reading(15), reading(16)]);
  assert.deepEqual(states.map((s) => s.pressured), [false, false, false, false, true, true, true, true, true, false]);
  assert.equal(states[4]?.since, 4000);
  assert.match(states[4]?.signals[0] ?? '', /inbound at 95% of capacity/);
  // 0.8 is between exit (0.7) and enter (0.9): neither hot nor cool, so calm starts counting only at t=6.
  assert.equal(states[5]?.coolSince, null);
  assert.equal(states[6]?.coolSince, 6000);
});

test('a brief spike or a flapping reading never confirms', () => {
  const states = run([reading(0), reading(1, { utilisation: 0.95 }), reading(2), reading(3, { utilisation: 0.95 }), reading(4), reading(5, { utilisation: 0.95 })]);
  assert.ok(states.every((s) => !s.pressured));
});

test('inbound drops climbing count as pressure even when the capacity is unknown', () => {
  const drops = (t: number) => reading(t, { utilisation: null, rxDropsPerSecond: 5000 });
  const states = run([drops(0), drops(1), drops(2), drops(3)]);
  assert.equal(states[3]?.pressured, true);
  assert.match(states[3]?.signals[0] ?? '', /5000 inbound drops\/s/);
});

test('handshakes collapsing while inbound packets soar count as pressure; the baseline learns only when calm', () => {
  const calm = Array.from({ length: 5 }, (_, i) => reading(i));
  const flood = Array.from({ length: 5 }, (_, i) => reading(5 + i, { utilisation: null, rxPacketsPerSecond: 50_000, handshakesPerSecond: 1 }));
  const states = run([...calm, ...flood]);
  const last = states.at(-1);
  assert.equal(last?.pressured, true);
  assert.match(last?.signals[0] ?? '', /handshakes down to 1\.0\/s \(calm 20\.0\/s\)/);
  assert.equal(last?.baseline?.packets, 100, 'the flood never entered the baseline');
  // The same flood with handshakes still completing is absorbed by the host: no pressure.
  const absorbed = run([...calm, ...flood.map((r) => ({ ...r, handshakesPerSecond: 18 }))]);
  assert.ok(absorbed.every((s) => !s.pressured));
});
