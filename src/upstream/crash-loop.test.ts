// ExaBGP in a crash loop, on the controller with a fake speaker and a clock the test moves: an hour of daemon ticks
// (every 10 s). Restarts come less and less often (1, 2, 4, 8, then every 15 min); the log holds a bounded number of
// lines; a tick never throws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configFrom } from '../config/load.js';
import { memoryLog } from '../core/log.js';
import { buildSnapshot, type Snapshot } from '../detect/snapshot.js';
import { DEFAULT_PREFIXES, fixtureSample, T0 } from '../testing/samples.js';
import { defenderSources } from '../testing/sources.js';
import { UpstreamController, type Speaker } from './controller.js';
import type { SpeakerState } from './exabgp.js';
import { MemoryBook } from './memory-book.js';

const cfg = configFrom({ upstream: {
  enabled: true, interface: 'eth0', capacityMbps: 1, ownNetworks: ['198.18.0.0/24'],
  bgp: { peer: '198.18.0.254', peerAs: 64500, localAs: 64501, localAddress: '198.18.0.1' },
} }).upstream;
const HOUR_TICKS = 360;

function hourOfTicks() {
  let prev: Snapshot | undefined;
  return Array.from({ length: HOUR_TICKS + 1 }, (_, i) => {
    const link = { rxBytes: 1000 * i, rxPackets: 10 * i, rxDrops: 0, txBytes: 0, txPackets: 0, txDrops: 0 };
    const cur = buildSnapshot(fixtureSample('spoofed-v4-cookies', 1, { takenAt: T0 + i * 10_000, links: { eth0: link } }), DEFAULT_PREFIXES);
    const event = { type: 'tick' as const, at: cur.takenAt, prev, cur, assessment: { kind: 'none' as const, summary: '', evidence: [], offenders: [] }, sources: defenderSources(cur), underAttack: false, synSenders: [] };
    prev = cur;
    return event;
  });
}

/** A speaker that fails at every start, or starts and dies before the next tick; each failure says something new. */
function crashingSpeaker(now: () => number, mode: 'at-start' | 'after-start') {
  let state: SpeakerState = 'stopped';
  const starts: number[] = [];
  const speaker: Speaker = {
    start: () => {
      starts.push(now());
      state = mode === 'at-start' ? 'failed' : 'running';
      return Promise.resolve(mode !== 'at-start');
    },
    sync: () => Promise.resolve(),
    stop: () => { state = 'stopped'; return Promise.resolve(); },
    status: () => ({ state, error: `ExaBGP exited with code 1: traceback #${starts.length}`, peers: {}, announced: [] }),
  };
  return { speaker, starts, die: () => { if (state === 'running') state = 'failed'; } };
}

for (const mode of ['at-start', 'after-start'] as const) {
  test(`ExaBGP crash loop (${mode === 'at-start' ? 'exits at start' : 'starts, then dies'}): restarts back off to every 15 min, the log stays bounded`, async () => {
    let now = T0;
    const log = memoryLog();
    const s = crashingSpeaker(() => now, mode);
    const c = new UpstreamController(cfg, { book: new MemoryBook(), log, now: () => now, speaker: s.speaker, capacityBps: 1_000_000 });
    c.start();
    for (const e of hourOfTicks()) {
      await new Promise(setImmediate); // the start's outcome is handled before the next tick
      s.die();
      now = e.at;
      c.onEvent(e);
    }
    await new Promise(setImmediate);
    const gaps = s.starts.slice(1).map((t, i) => (t - s.starts[i]!) / 60_000);
    // The wait runs from the failure: seen at once for one that fails at its start; for one that dies, at the tick
    // after its start (10 s later; the very first death is seen at the first tick, the start's own).
    const seen = (i: number) => (mode === 'at-start' || i === 0 ? 0 : 10 / 60);
    const minutes = gaps.map((g) => Math.round(g * 600) / 600);
    assert.deepEqual(minutes, [1, 2, 4, 8, 15, 15, 15].slice(0, gaps.length).map((m, i) => Math.round((m + seen(i)) * 600) / 600), `minutes between starts: ${gaps.join(', ')}`);
    assert.ok(s.starts.length >= 6 && s.starts.length <= 8, `${s.starts.length} starts in an hour`);
    const events = log.lines.map((l) => String(l['event'])).filter((e) => e.startsWith('exabgp'));
    assert.ok(events.length <= 2 * s.starts.length, `${events.length} log lines for ${s.starts.length} starts`);
    assert.ok(events.every((e) => e === (mode === 'at-start' ? 'exabgp-failed' : 'exabgp-started') || e === 'exabgp-exited'), events.join(', '));
    const exits = events.filter((e) => e === 'exabgp-exited').length;
    if (mode === 'after-start') assert.ok(exits === s.starts.length || exits === s.starts.length - 1, `each death said once (the last may come after the hour): ${exits}`);
    if (mode === 'at-start') assert.equal(c.status().speaker?.state, 'failed');
  });
}

test('ExaBGP that ran 10 minutes before it died is not in a crash loop: started again 60 s after its death', async () => {
  let now = T0;
  const log = memoryLog();
  const s = crashingSpeaker(() => now, 'after-start');
  const c = new UpstreamController(cfg, { book: new MemoryBook(), log, now: () => now, speaker: s.speaker, capacityBps: 1_000_000 });
  c.start();
  const ticks = hourOfTicks();
  for (const [i, e] of ticks.entries()) {
    await new Promise(setImmediate);
    if (i === 70) s.die(); // up for 11 min 40 s, then dies
    now = e.at;
    c.onEvent(e);
    if (i === 90) break;
  }
  assert.deepEqual(s.starts.map((t) => (t - T0) / 10_000), [0, 76]);
});
