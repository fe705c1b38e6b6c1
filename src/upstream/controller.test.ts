// The controller on daemon ticks built from captured snapshots with a synthetic uplink: the decisions it records,
// what it hands the speaker, and how a restart carries an episode on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configFrom } from '../config/load.js';
import { memoryLog } from '../core/log.js';
import { buildSnapshot, type Snapshot } from '../detect/snapshot.js';
import type { AnnouncementRecord } from '../store/announcements.js';
import { attackedTarget } from './target.js';
import { DEFAULT_PREFIXES, fixtureSample, T0 } from '../testing/samples.js';
import { UpstreamController, type Speaker } from './controller.js';
import { MemoryBook } from './memory-book.js';
import { defenderSources } from '../testing/sources.js';

const cfg = configFrom({
  upstream: {
    enabled: true, dryRun: true, interface: 'eth0', capacityMbps: 1, ownNetworks: ['198.18.0.0/24'],
    saturation: { confirm: '2s', calm: '5s' },
    steps: { rateLimit: { holdDown: '3s' }, discard: { holdDown: '3s' } },
  },
}).upstream;

/** A tick at second t with the uplink receiving `bps` bits per second since the previous one. */
function ticks(capture: string, rates: number[]) {
  let rx = 0;
  let prev: Snapshot | undefined;
  return rates.map((bps, t) => {
    rx += bps / 8;
    const link = { rxBytes: rx, rxPackets: rx / 60, rxDrops: 0, txBytes: 0, txPackets: 0, txDrops: 0 };
    const cur = buildSnapshot(fixtureSample(capture, 1, { takenAt: T0 + t * 1000, links: { eth0: link } }), DEFAULT_PREFIXES);
    const event = { type: 'tick' as const, at: cur.takenAt, prev, cur, assessment: { kind: 'none' as const, summary: '', evidence: [], offenders: [] }, sources: defenderSources(cur), underAttack: true, synSenders: [] };
    prev = cur;
    return event;
  });
}

function fakeSpeaker() {
  const synced: string[][] = [];
  const speaker: Speaker = {
    start: () => Promise.resolve(true),
    sync: (wanted: readonly AnnouncementRecord[]) => { synced.push(wanted.map((r) => r.kind)); return Promise.resolve(); },
    stop: () => Promise.resolve(),
    status: () => ({ state: 'running', error: null, peers: {}, announced: [] }),
  };
  return { speaker, synced };
}

test('saturation on the captured spoofed flood: rate-limit, then discard, recorded and handed to the speaker', () => {
  const book = new MemoryBook();
  const log = memoryLog();
  const { speaker, synced } = fakeSpeaker();
  const c = new UpstreamController(cfg, { book, log, now: () => T0, speaker, capacityBps: 1_000_000 });
  c.start();
  for (const e of ticks('spoofed-v4-cookies', [2e5, 2e6, 2e6, 2e6, 2e6, 2e6, 2e6])) c.onEvent(e);
  const decided = log.lines.filter((l) => l['event'] === 'upstream-announce-decided').map((l) => `${String(l['kind'])} ${String(l['prefix'])}:${String(l['port'])}`);
  assert.deepEqual(decided, ['flowspec-rate-limit 198.18.0.1/32:80', 'flowspec-discard 198.18.0.1/32:80']);
  assert.deepEqual(synced.at(-1), ['flowspec-discard']);
  assert.equal(c.status().pressure.pressured, true);
  assert.match(c.status().pressure.signals[0] ?? '', /inbound at 200% of capacity/);
});

test('a restart mid-episode keeps the announcements until calm has lasted, then withdraws them', () => {
  const book = new MemoryBook();
  book.add({ kind: 'flowspec-discard', prefix: '198.18.0.1/32', port: 80, bytesPerSecond: null, reason: 'r', evidence: [], origin: 'auto', createdAt: T0 - 60_000, until: T0 + 3_600_000 });
  const log = memoryLog();
  const c = new UpstreamController(cfg, { book, log, now: () => T0, speaker: null, capacityBps: 1_000_000 });
  c.start();
  assert.equal(c.status().pressure.pressured, true, 'the episode goes on after a restart');
  const calm = ticks('idle', Array.from({ length: 8 }, () => 1e4));
  for (const e of calm.slice(0, 5)) c.onEvent(e);
  assert.equal(book.open().length, 1, 'not withdrawn before calm has lasted 5 s');
  for (const e of calm.slice(5)) c.onEvent(e);
  assert.equal(book.open().length, 0);
  assert.equal(log.lines.filter((l) => l['event'] === 'upstream-withdraw-decided').length, 1);
});

test('an attacked address outside the own networks: refused, logged once, never recorded', () => {
  const book = new MemoryBook();
  const log = memoryLog();
  const other = { ...cfg, ownNetworks: ['198.18.9.0/24'] };
  const c = new UpstreamController(other, { book, log, now: () => T0, speaker: null, capacityBps: 1_000_000 });
  c.start();
  for (const e of ticks('spoofed-v4-cookies', [2e5, 2e6, 2e6, 2e6, 2e6, 2e6, 2e6])) c.onEvent(e);
  assert.equal(book.open().length, 0);
  assert.equal(log.lines.filter((l) => l['event'] === 'upstream-refused').length, 1);
  assert.match(c.status().refused ?? '', /198\.18\.0\.1 is outside upstream\.ownNetworks/);
  const manual = c.record({ kind: 'rtbh', prefix: '198.18.0.1/32', port: null, bytesPerSecond: null, reason: 'manual', evidence: [], origin: 'manual', createdAt: T0, until: T0 + 60_000 });
  assert.equal(manual, null);
});

test('the target is the address and port with the most half-open connections, IPv6 included', () => {
  const [v4, v6, idle] = (['spoofed-v4-cookies', 'syn-v6', 'idle'] as const).map((c) => buildSnapshot(fixtureSample(c, 1), DEFAULT_PREFIXES));
  assert.deepEqual(attackedTarget(v4!), { address: '198.18.0.1', port: 80 });
  assert.deepEqual(attackedTarget(v6!), { address: '2001:db8::1', port: 443 });
  assert.equal(attackedTarget(idle!), null);
});
