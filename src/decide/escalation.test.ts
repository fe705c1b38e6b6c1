// Policy and store together over simulated hours: a returning offender's ban grows 10m → 20m → 40m → 1h (max),
// an unban forgives, and a prefix ban replaces the address bans it covers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configFrom } from '../config/load.js';
import type { Store } from '../store/open.js';
import { buildAllowList } from './allow-list.js';
import { decide, offenceValues, type Offender } from './policy.js';
import { withStore } from '../testing/store.js';

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;
const config = configFrom({ defender: { bans: { base: '10m', factor: 2, max: '1h', memory: '1d', prefixAfter: { ipv4: 3 } } } });
const allow = buildAllowList({});
const off = (value: string): Offender => ({ value, reason: 'half-open 900 ≥ 32', evidence: ['synRecv=900'] });

/** One daemon tick as the defender runs it: read the store, decide, store the outcome. */
function tick(store: Store, offenders: Offender[], now: number) {
  const active = store.decisions.active(now);
  const offenceCounts = store.decisions.offences(offenceValues(offenders, config), now, config.defender.bans.memory);
  const out = decide({ offenders, spoofed: false, active, offenceCounts, recentAutoBans: store.decisions.autoCreatedSince(now - MIN), allow, config, now });
  store.transaction(() => {
    store.decisions.insertMany(out.decisions);
    for (const d of out.extended) if (d.id !== undefined) store.decisions.extend(d.id, d.until, now);
    for (const d of out.superseded) if (d.id !== undefined) store.decisions.end(d.id, { now, by: 'superseded', kind: 'superseded' });
  });
  return out;
}

test('a returning offender: 10m, 20m, 40m, 1h, 1h; offending while banned never escalates', () => {
  withStore((store) => {
    let now = T0;
    const lengths: number[] = [];
    for (let visit = 0; visit < 5; visit++) {
      const [d] = tick(store, [off('198.18.0.3')], now).decisions;
      assert.ok(d, `visit ${visit} is banned`);
      lengths.push((d.until - now) / MIN);
      assert.equal(tick(store, [off('198.18.0.3')], now + 1000).decisions.length, 0, 'no duplicate while banned');
      now = d.until + MIN; // comes back after the ban ran out
    }
    assert.deepEqual(lengths, [10, 20, 40, 60, 60]);
  });
});

test('an unban forgives: the next ban starts again from the base', () => {
  withStore((store) => {
    tick(store, [off('198.18.0.3')], T0);
    store.decisions.endValue('198.18.0.3/32', { now: T0 + MIN, by: 'cli', kind: 'unban' });
    const [d] = tick(store, [off('198.18.0.3')], T0 + 2 * MIN).decisions;
    assert.equal(d?.offence, 1);
  });
});

test('addresses of one /24 offending over several ticks end up as one prefix ban', () => {
  withStore((store) => {
    tick(store, [off('198.18.5.1')], T0);
    tick(store, [off('198.18.5.2')], T0 + 1000);
    const out = tick(store, [off('198.18.5.3')], T0 + 2000);
    assert.deepEqual(out.decisions.map((d) => d.value), ['198.18.5.0/24']);
    assert.deepEqual(store.decisions.active(T0 + 3000).map((d) => d.value), ['198.18.5.0/24']);
    assert.deepEqual(tick(store, [off('198.18.5.9')], T0 + 4000).decisions, [], 'covered by the prefix ban');
  });
});
