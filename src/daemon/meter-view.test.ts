// The meter view says so when a proven client is capped at its own limit: once per client, again after ten minutes,
// never every tick (a proxy behind one address would otherwise flood the log).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryLog } from '../core/log.js';
import type { SynRateConfig } from '../config/syn-rate.js';
import type { MeterSample } from '../observe/meter.js';
import { T0 } from '../testing/clock.js';
import { MeterView } from './meter-view.js';

const LIMITS: SynRateConfig = { enabled: true, perSource: 50, burst: 100, perPrefix: 400, prefixBurst: 800, proven: 1000, hold: 60_000, size: 65_536 };

/** A reading in which 198.18.3.2, proven, has sent `perSecond` SYNs a second since the reading before. */
const reading = (at: number, total: number): MeterSample => ({
  takenAt: at, hosts: [], prefixes: [], busy: [{ value: '198.18.3.2/32', packets: total, ageMs: 60_000, expiresAt: at + 10_000 }],
});

test('a proven client over detection.synRate.proven under attack: one proven-capped warning, again after ten minutes; calm, never', async () => {
  const log = memoryLog();
  let next: MeterSample = reading(T0, 0);
  const armed: boolean[] = [];
  const view = new MeterView({ read: () => Promise.resolve(next), lift: () => Promise.resolve(), arm: (on) => { armed.push(on); return Promise.resolve(); } }, log);
  const capped = () => log.lines.filter((l) => l.event === 'proven-capped');
  const tick = async (at: number, total: number) => {
    next = reading(at, total);
    await view.read(at, LIMITS);
  };
  await tick(T0, 0);
  await tick(T0 + 1000, 3000); // 3,000/s while calm: the limit is not in force
  assert.equal(view.findings.senders[0]?.capped, undefined, 'calm: not capped');
  await view.attackStarted('syn-flood');
  assert.deepEqual(armed, [true], 'the kernel meter is armed when an attack from real sources starts');
  await tick(T0 + 2000, 3800); // 800/s: under the limit
  assert.equal(capped().length, 0);
  assert.equal(view.findings.senders[0]?.capped, undefined);
  for (let i = 3; i < 30; i++) await tick(T0 + i * 1000, 3800 + (i - 2) * 3000); // 3,000/s for 27 s
  assert.equal(view.findings.senders[0]?.capped, true);
  assert.equal(capped().length, 1, 'said once, not every tick');
  assert.deepEqual([capped()[0]?.address, capped()[0]?.synPerSecond, capped()[0]?.limit], ['198.18.3.2', 3000, 1000]);
  await tick(T0 + 11 * 60_000, 3800 + 28 * 3000 + 3000 * 60 * 10.5); // ten minutes later, still capped
  assert.equal(capped().length, 2);
  await view.attackEnded();
  assert.deepEqual(armed, [true, false], 'and lifted when it ends');
  await tick(T0 + 11 * 60_000 + 1000, 3800 + 28 * 3000 + 3000 * 60 * 10.5 + 3000);
  assert.equal(view.findings.senders[0]?.capped, undefined, 'calm again: not capped');
  assert.equal(capped().length, 2);
});

test('a spoofed SYN flood (or cookies coping) leaves the proven limit off: its forged sources are never proven', async () => {
  for (const kind of ['spoofed-syn-flood', 'cookies-coping']) {
    const log = memoryLog();
    let next: MeterSample = reading(T0, 0);
    const armed: boolean[] = [];
    const view = new MeterView({ read: () => Promise.resolve(next), lift: () => Promise.resolve(), arm: (on) => { armed.push(on); return Promise.resolve(); } }, log);
    await view.read(T0, LIMITS);
    await view.attackStarted(kind);
    next = reading(T0 + 1000, 3000); // 3,000/s, three times the limit
    await view.read(T0 + 1000, LIMITS);
    assert.equal(view.findings.senders[0]?.capped, undefined, `${kind}: not capped`);
    assert.equal(log.lines.filter((l) => l.event === 'proven-capped').length, 0);
    await view.attackEnded();
    assert.deepEqual(armed, [], `${kind}: never armed, nothing to lift`);
  }
});
