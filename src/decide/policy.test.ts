// The ban policy on concrete cases: escalation, allow-list, prefix aggregation, caps, extension, spoofing guard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Decision } from '../core/decision.js';
import { configFrom } from '../config/load.js';
import { buildAllowList } from './allow-list.js';
import { decide, offenceValues, policyFor, SPOOFING_GUARD, type Offender, type PolicyInput } from './policy.js';

const NOW = Date.UTC(2026, 0, 1, 12);
const MIN = 60_000;
const config = configFrom({ defender: { bans: { base: '10m', factor: 2, max: '1h' } } });
const allow = buildAllowList({ own: ['192.0.2.2'], gateways: ['203.0.113.1'], sshPeers: ['198.51.100.9'] });

const off = (value: string, halfOpen = 812): Offender => ({ value, reason: `half-open ${halfOpen} ≥ 32`, evidence: [`synRecv=${halfOpen}`] });
const run = (over: Partial<PolicyInput>) =>
  decide({ offenders: [], spoofed: false, active: [], offenceCounts: new Map(), allow, config, now: NOW, ...over });
const active = (value: string, minutes: number, extra: Partial<Decision> = {}): Decision => ({
  id: 1, scope: value.endsWith('/32') || value.endsWith('/128') ? 'ip' : 'prefix', value, action: 'ban', reason: 'r', evidence: [],
  origin: 'auto', createdAt: NOW - 5 * MIN, until: NOW + minutes * MIN, offence: 1, ...extra,
});

test('a first offence is banned for the base duration, canonical and auto', () => {
  const r = run({ offenders: [off('::ffff:198.18.0.3')] });
  assert.equal(r.decisions.length, 1);
  const [d] = r.decisions;
  assert.deepEqual({ ...d }, {
    scope: 'ip', value: '198.18.0.3/32', action: 'ban', reason: 'half-open 812 ≥ 32', evidence: ['synRecv=812'],
    origin: 'auto', createdAt: NOW, until: NOW + 10 * MIN, offence: 1,
  });
});

test('escalation: 10m → 20m → 40m → 1h (max) → 1h as the offender returns', () => {
  const lengths = [0, 1, 2, 3, 9, 1000].map((past) => {
    const [d] = run({ offenders: [off('198.18.0.3')], offenceCounts: new Map([['198.18.0.3/32', past]]) }).decisions;
    return d ? [(d.until - NOW) / MIN, d.offence] : null;
  });
  assert.deepEqual(lengths, [[10, 1], [20, 2], [40, 3], [60, 4], [60, 10], [60, 1001]]);
});

test('allow-listed offenders are refused with the reason, IPv4-mapped bypasses included', () => {
  const r = run({ offenders: [off('::ffff:127.0.0.1'), off('192.0.2.2'), off('198.51.100.9'), off('198.18.0.3')] });
  assert.deepEqual(r.decisions.map((d) => d.value), ['198.18.0.3/32']);
  assert.deepEqual(r.refused.map((x) => x.value), ['127.0.0.1/32', '192.0.2.2/32', '198.51.100.9/32']);
  assert.match(r.refused[0]?.why ?? '', /allow-listed: .*loopback/);
  assert.match(r.refused[2]?.why ?? '', /SSH peer/);
});

test('spoofing guard: no auto-bans at all, and a note saying why', () => {
  const r = run({ spoofed: true, offenders: [off('198.18.0.3'), off('198.19.7.7')] });
  assert.deepEqual(r.decisions, []);
  assert.deepEqual(r.extended, []);
  assert.deepEqual(r.notes, [SPOOFING_GUARD]);
  assert.equal(r.refused.length, 2);
  assert.match(r.refused[0]?.why ?? '', /spoofing guard: .*likely forged/);
});

test('prefix aggregation: 8 addresses of one /24 become one /24 ban; fewer stay single', () => {
  const eight = Array.from({ length: 8 }, (_, i) => off(`198.18.5.${10 + i}`));
  const r = run({ offenders: [...eight, off('198.18.6.1')] });
  assert.deepEqual(r.decisions.map((d) => [d.scope, d.value]), [['prefix', '198.18.5.0/24'], ['ip', '198.18.6.1/32']]);
  assert.match(r.decisions[0]?.reason ?? '', /^8 addresses of 198\.18\.5\.0\/24 offended \(prefix ban from 8\): 198\.18\.5\.10, /);
  assert.match(r.decisions[0]?.evidence[0] ?? '', /^198\.18\.5\.10: synRecv=812$/);
  assert.equal(run({ offenders: eight.slice(1) }).decisions.length, 7);
});

test('prefix aggregation counts addresses already banned, and supersedes those bans', () => {
  const bans = [active('198.18.5.1/32', 5, { id: 11 }), active('198.18.5.2/32', 5, { id: 12 }), active('198.18.5.3/32', 120, { id: 13, origin: 'manual' })];
  const r = run({ offenders: Array.from({ length: 5 }, (_, i) => off(`198.18.5.${20 + i}`)), active: bans });
  assert.deepEqual(r.decisions.map((d) => d.value), ['198.18.5.0/24']);
  assert.deepEqual(r.superseded.map((d) => d.id), [11, 12], 'the manual ban lasting longer is kept');
});

test('IPv6: 4 addresses of one /64 make a /64 ban', () => {
  const r = run({ offenders: ['2001:db8:1::a', '2001:db8:1::b', '2001:db8:1:0:1::c', '2001:db8:1::d', '2001:db8:2::1'].map((v) => off(v)) });
  assert.deepEqual(r.decisions.map((d) => d.value), ['2001:db8:1::/64', '2001:db8:2::1/128']);
});

test('a prefix covering the gateway is refused, and its addresses are banned one by one', () => {
  const offenders = Array.from({ length: 8 }, (_, i) => off(`203.0.113.${10 + i}`));
  const r = run({ offenders: [...offenders, off('203.0.113.1')] });
  assert.deepEqual(r.refused.map((x) => x.value), ['203.0.113.0/24', '203.0.113.1/32']);
  assert.match(r.refused[0]?.why ?? '', /203\.0\.113\.0\/24 overlaps 203\.0\.113\.1\/32 \(default gateway\)/);
  assert.equal(r.decisions.length, 8);
  assert.ok(r.decisions.every((d) => d.scope === 'ip'));
  assert.match(r.notes[0] ?? '', /judged one by one/);
});

test('the per-minute cap refuses the excess, with the reason', () => {
  const capped = configFrom({ defender: { bans: { perMinute: 3 } } });
  const offenders = ['198.18.1.1', '198.18.2.1', '198.18.3.1', '198.18.4.1', '198.18.5.1'].map((v) => off(v));
  const r = decide({ offenders, spoofed: false, active: [], offenceCounts: new Map(), allow, config: capped, now: NOW });
  assert.equal(r.decisions.length, 3);
  assert.deepEqual(r.refused.map((x) => x.value), ['198.18.4.1/32', '198.18.5.1/32']);
  assert.match(r.refused[0]?.why ?? '', /cap reached: 3 auto-bans in the last minute \(defender\.bans\.perMinute = 3\)/);
  const fromStore = decide({ offenders, spoofed: false, active: [], offenceCounts: new Map(), recentAutoBans: 3, allow, config: capped, now: NOW });
  assert.equal(fromStore.decisions.length, 0, 'the store says 3 were created this minute already');
});

test('the total cap counts active auto-bans only; manual bans do not use it up', () => {
  const capped = configFrom({ defender: { bans: { maxActive: 2 } } });
  const old = (v: string, origin: 'auto' | 'manual') => active(v, 30, { createdAt: NOW - 10 * MIN, origin });
  const r = decide({
    offenders: [off('198.18.1.1'), off('198.18.2.1')], spoofed: false, offenceCounts: new Map(), allow, config: capped, now: NOW,
    active: [old('198.19.0.1/32', 'auto'), old('198.19.0.2/32', 'manual'), old('198.19.0.3/32', 'manual')],
  });
  assert.deepEqual(r.decisions.map((d) => d.value), ['198.18.1.1/32']);
  assert.match(r.refused[0]?.why ?? '', /cap reached: 2 auto-bans active \(defender\.bans\.maxActive = 2\)/);
});

test('no duplicate of an active ban: extended when the new one is longer, left alone otherwise', () => {
  const long = run({ offenders: [off('198.18.0.3')], active: [active('198.18.0.3/32', 50, { id: 7 })] });
  assert.deepEqual([long.decisions.length, long.extended.length], [0, 0]);
  const short = run({ offenders: [off('198.18.0.3')], active: [active('198.18.0.3/32', 2, { id: 7, offence: 2 })] });
  assert.equal(short.decisions.length, 0);
  assert.deepEqual(short.extended.map((d) => [d.id, (d.until - NOW) / MIN, d.offence]), [[7, 20, 2]], 'same offence level: no escalation while banned');
  const covered = run({ offenders: [off('198.18.5.7')], active: [active('198.18.5.0/24', 30, { id: 9 })] });
  assert.deepEqual([covered.decisions.length, covered.extended.length], [0, 0]);
  assert.match(covered.notes[0] ?? '', /already covered by the active ban on 198\.18\.5\.0\/24/);
  const expired = run({ offenders: [off('198.18.0.3')], active: [active('198.18.0.3/32', -1)] });
  assert.equal(expired.decisions.length, 1, 'an expired ban is no ban');
});

test('malformed offenders are refused with an example; duplicates merge', () => {
  const r = run({ offenders: [off('198.18.0.300'), off('198.18.0.3', 40), off('::ffff:198.18.0.3', 50)] });
  assert.match(r.refused[0]?.why ?? '', /not an IP address or CIDR \(e\.g\. 198\.51\.100\.7/);
  assert.deepEqual(r.decisions.map((d) => d.evidence), [['synRecv=40', 'synRecv=50']]);
});

test('offenceValues asks for every offender and its prefix; policyFor binds allow-list and config', () => {
  assert.deepEqual(offenceValues([off('198.18.0.3'), off('2001:db8:1::a'), off('203.0.113.0/24'), off('bad')], config),
    ['198.18.0.3/32', '198.18.0.0/24', '2001:db8:1::a/128', '2001:db8:1::/64', '203.0.113.0/24']);
  const policy = policyFor(allow, config);
  assert.equal(policy({ offenders: [off('127.0.0.2')], spoofed: false, active: [], offenceCounts: new Map(), now: NOW }).refused.length, 1);
});
