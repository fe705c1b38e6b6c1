// The meter's findings from two readings captured from a real kernel (test/fixtures/meter, made by scripts/fixtures/capture-meter.mjs):
// attacker 198.18.2.2 flooding IPv4 and IPv6 at 2,000 and 1,000 SYN/s, 198.18.5.0/24 spread over 256 spoofed addresses,
// and 198.18.3.2, proven by one real connection, sending about 400 SYN/s. t2 was read about a second after t1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureText } from '../testing/fixtures.js';
import { meterElements, type MeterSample } from '../observe/meter.js';
import { meterFindings } from './syn-senders.js';

const T0 = Date.UTC(2026, 11, 2, 12);
const LIMITS = { perSource: 50, perPrefix: 400 };

function reading(tag: 't1' | 't2', at: number): MeterSample {
  const set = (name: string, prefix?: number) => meterElements(JSON.parse(fixtureText('meter', `${tag}-${name}.json`)), at, prefix);
  return {
    takenAt: at,
    hosts: [...set('meter4'), ...set('meter6')],
    prefixes: [...set('pmeter4', 24), ...set('pmeter6', 64)],
    busy: [...set('busy4'), ...set('busy6')],
  };
}

test('the parser reads address, counter, age and expiry of each element', () => {
  const r = reading('t1', T0);
  assert.deepEqual(r.hosts, [
    { value: '198.18.2.2/32', packets: 3528, ageMs: 2000, expiresAt: T0 + 58_000 },
    { value: '2001:db8:0:2::2/128', packets: 1899, ageMs: 2000, expiresAt: T0 + 58_000 },
  ]);
  assert.deepEqual(r.prefixes.map((p) => p.value), ['198.18.5.0/24']);
  assert.deepEqual(meterElements({ nope: 1 }, T0), [], 'not nft JSON: nothing');
});

test('rates come from the counters of two readings; the first reading divides by the age', () => {
  const first = meterFindings(null, reading('t1', T0), LIMITS);
  assert.deepEqual(first.senders.map((s) => [s.address, s.synPerSecond, s.proven, s.dropped]), [
    ['198.18.2.2', 1764, false, true],
    ['2001:db8:0:2::2', 950, false, true],
    ['198.18.5.0/24', 827, false, true],
    ['198.18.3.2', 630, true, false],
  ]);
  const second = meterFindings(reading('t1', T0), reading('t2', T0 + 1000), LIMITS);
  assert.deepEqual(second.senders.map((s) => [s.address, s.synPerSecond]), [
    ['198.18.2.2', 1882],
    ['198.18.5.0/24', 1469],
    ['2001:db8:0:2::2', 1060],
    ['198.18.3.2', 396],
  ]);
});

test('kernel drops become offenders with origin kernel and their rate; a proven busy source never does', () => {
  const { offenders } = meterFindings(reading('t1', T0), reading('t2', T0 + 1000), LIMITS);
  assert.deepEqual(offenders.map((o) => [o.value, o.origin, o.reason]), [
    ['198.18.2.2/32', 'kernel', 'SYN flood (kernel meter)'],
    ['2001:db8:0:2::2/128', 'kernel', 'SYN flood (kernel meter)'],
    ['198.18.5.0/24', 'kernel', 'SYN flood from one prefix (kernel meter)'],
  ]);
  assert.match(offenders[0]!.evidence[0]!, /^198\.18\.2\.2: 1882 SYN\/s without completing handshakes \(kernel meter, over 50\/s\)/);
});

test('a drop whose counter stopped (the source stopped) is no longer an offender, but still listed', () => {
  const t2 = reading('t2', T0 + 1000);
  const found = meterFindings(t2, { ...t2, takenAt: T0 + 2000 }, LIMITS);
  assert.deepEqual(found.offenders, []);
  assert.equal(found.senders.find((s) => s.address === '198.18.2.2')?.synPerSecond, 0);
});

test('a proven source over its own limit is capped: the kernel drops its excess (only then is the field there)', () => {
  const over = meterFindings(reading('t1', T0), reading('t2', T0 + 1000), { ...LIMITS, proven: 300 });
  assert.deepEqual(over.senders.find((s) => s.address === '198.18.3.2'), { address: '198.18.3.2', synPerSecond: 396, proven: true, dropped: false, capped: true });
  assert.deepEqual(over.offenders.map((o) => o.value).includes('198.18.3.2/32'), false, 'capped is never an offence');
  const under = meterFindings(reading('t1', T0), reading('t2', T0 + 1000), { ...LIMITS, proven: 1000 });
  assert.equal('capped' in (under.senders.find((s) => s.address === '198.18.3.2') ?? {}), false);
});
