import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configFrom } from '../config/load.js';
import type { AnnouncementRecord } from '../store/announcements.js';
import { exabgpCommand, insideOwnNetworks } from './announcement.js';
import { decideUpstream, type PolicyInput, type Target } from './policy.js';
import { CALM, type PressureState } from './saturation.js';

const S = 1000;
const base = {
  enabled: true, dryRun: true, ownNetworks: ['198.18.1.0/24', '2001:db8:1::/48'],
  steps: { rateLimit: { holdDown: '10s', maxDuration: '10m' }, discard: { holdDown: '20s', maxDuration: '10m' }, rtbh: { holdDown: '30s', maxDuration: '5m' } },
};
const cfg = configFrom({ upstream: base }).upstream;
const withRtbh = configFrom({ upstream: { ...base, steps: { ...base.steps, rtbh: { ...base.steps.rtbh, enabled: true } } } }).upstream;
const hot: PressureState = { ...CALM, pressured: true, since: 0, signals: ['inbound at 97% of capacity'] };
const target: Target = { address: '198.18.1.2', port: 80 };

/** Runs the policy over time like the controller does, keeping the records itself. */
function simulate(times: number[], pressure: (t: number) => PressureState, c = cfg, tgt: Target | null = target) {
  let id = 0;
  let records: AnnouncementRecord[] = [];
  const log: string[] = [];
  for (const t of times) {
    const now = t * S;
    const p = pressure(t);
    const input: PolicyInput = {
      now, pressure: p, target: tgt,
      open: records.filter((r) => r.endedAt === null),
      endedThisEpisode: p.since === null ? [] : records.filter((r) => r.endedAt !== null && r.endedAt >= p.since!),
    };
    const out = decideUpstream(input, c);
    for (const e of out.end) {
      records = records.map((r) => (r.id === e.record.id ? { ...r, endedAt: now, endedBy: 'policy', endKind: e.kind } : r));
      log.push(`${t}: ${e.kind} ${e.record.kind}`);
    }
    for (const a of out.announce) {
      records.push({ ...(a), id: ++id, endedAt: null, endedBy: null, endKind: null });
      log.push(`${t}: announce ${a.kind} ${a.prefix}${a.port === null ? '' : `:${a.port}`}`);
    }
    if (out.refused) log.push(`${t}: refused ${out.refused}`);
  }
  return { log, records };
}

test('graded: rate-limit at once, discard after its hold-down (replacing it), then nothing more without RTBH enabled', () => {
  const { log } = simulate([0, 5, 10, 20, 29, 30, 60, 120], () => hot);
  assert.deepEqual(log, [
    '0: announce flowspec-rate-limit 198.18.1.2/32:80',
    '10: superseded flowspec-rate-limit',
    '10: announce flowspec-discard 198.18.1.2/32:80',
  ]);
});

test('RTBH only when enabled, after the discard hold-down, on top of the FlowSpec rule', () => {
  const { log, records } = simulate([0, 10, 30, 31], () => hot, withRtbh);
  assert.deepEqual(log.slice(-1), ['30: announce rtbh 198.18.1.2/32']);
  assert.deepEqual(records.filter((r) => r.endedAt === null).map((r) => r.kind), ['flowspec-discard', 'rtbh']);
  assert.equal(records.find((r) => r.kind === 'rtbh')?.until, 30 * S + 5 * 60 * S);
});

test('withdrawn automatically once calm, but never before the hold-down; nothing flaps back while calm', () => {
  const pressure = (t: number) => (t < 12 ? hot : CALM);
  const { log } = simulate([0, 10, 12, 25, 30, 31, 60], pressure);
  assert.deepEqual(log, [
    '0: announce flowspec-rate-limit 198.18.1.2/32:80',
    '10: superseded flowspec-rate-limit',
    '10: announce flowspec-discard 198.18.1.2/32:80',
    '30: withdrawn flowspec-discard',
  ]);
});

test('maximum duration: expired even under attack, and not announced again in the same episode', () => {
  const { log } = simulate([0, 10, 30, 330, 331, 610, 611, 700], () => hot, withRtbh);
  assert.deepEqual(log, [
    '0: announce flowspec-rate-limit 198.18.1.2/32:80',
    '10: superseded flowspec-rate-limit',
    '10: announce flowspec-discard 198.18.1.2/32:80',
    '30: announce rtbh 198.18.1.2/32',
    '330: expired rtbh',
    '610: expired flowspec-discard',
  ]);
});

test('never an announcement outside the own networks, for any step', () => {
  for (const address of ['198.18.2.2', '203.0.113.9', '2001:db8:2::1', 'not-an-address']) {
    const { log, records } = simulate([0, 10, 30, 60], () => hot, withRtbh, { address, port: 80 });
    assert.equal(records.length, 0, address);
    assert.match(log[0] ?? '', /refused .* is outside upstream\.ownNetworks: never announced/);
  }
  const v6 = simulate([0], () => hot, cfg, { address: '2001:db8:1::7', port: 443 });
  assert.deepEqual(v6.log, ['0: announce flowspec-rate-limit 2001:db8:1::7/128:443']);
  assert.equal(insideOwnNetworks('198.18.0.0/23', ['198.18.1.0/24']), false, 'a covering prefix is outside');
  assert.equal(insideOwnNetworks('198.18.1.7/32', ['198.18.1.0/24']), true);
});

test('no target, no announcement; manual announcements are not withdrawn by calm', () => {
  assert.deepEqual(simulate([0, 10], () => hot, cfg, null).log, []);
  const manual: AnnouncementRecord = {
    id: 1, kind: 'rtbh', prefix: '198.18.1.9/32', port: null, bytesPerSecond: null, reason: 'manual', evidence: [],
    origin: 'manual', createdAt: 0, until: 3600 * S, endedAt: null, endedBy: null, endKind: null,
  };
  const out = decideUpstream({ now: 600 * S, pressure: CALM, target: null, open: [manual], endedThisEpisode: [] }, cfg);
  assert.deepEqual(out.end, []);
});

test('ExaBGP commands: FlowSpec match on destination, port, TCP and SYN; RTBH with the blackhole community', () => {
  const hops = { ipv4: '198.18.0.2', ipv6: null };
  const flow = { kind: 'flowspec-rate-limit', prefix: '198.18.1.2/32', port: 80, bytesPerSecond: 12800 } as const;
  assert.equal(exabgpCommand('announce', flow, hops),
    'announce flow route { match { destination 198.18.1.2/32; destination-port =80; protocol =tcp; tcp-flags [ syn ]; } then { rate-limit 12800; } }');
  assert.equal(exabgpCommand('withdraw', { ...flow, kind: 'flowspec-discard' }, hops),
    'withdraw flow route { match { destination 198.18.1.2/32; destination-port =80; protocol =tcp; tcp-flags [ syn ]; } }');
  assert.equal(exabgpCommand('announce', { ...flow, kind: 'flowspec-discard', prefix: '2001:db8:1::7/128' }, hops),
    'announce flow route { match { destination 2001:db8:1::7/128; destination-port =80; next-header =tcp; tcp-flags [ syn ]; } then { discard; } }');
  const rtbh = { kind: 'rtbh', prefix: '198.18.1.2/32', port: null, bytesPerSecond: null } as const;
  assert.equal(exabgpCommand('announce', rtbh, hops), 'announce route 198.18.1.2/32 next-hop 198.18.0.2 community [65535:666]');
  assert.equal(exabgpCommand('withdraw', rtbh, hops), 'withdraw route 198.18.1.2/32 next-hop 198.18.0.2');
  assert.throws(() => exabgpCommand('announce', { ...rtbh, prefix: '2001:db8:1::7/128' }, hops), /no IPv6 next hop .*nextHop6/);
});
