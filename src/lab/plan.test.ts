// Scenario timing: phases, events and duration scaling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from './scenario-load.js';
import { phases, scaleScenario, scheduledEvents, wrkWindows } from './plan.js';

const s = parseScenario(`
description: t
durationS: 30
victim: { backlog: 64 }
topology: { attackers: 2 }
attacks:
  - { kind: syn-flood, startS: 5, stopS: 25, pps: 100, maxPackets: 1000 }
  - { kind: conn-flood, attacker: 2, startS: 10, stopS: 20, rate: 10, connections: 50 }
changes: [{ atS: 15, sysctls: { tcp_syncookies: 1 } }]
`, 't');

test('phases: baseline, one attack phase per change inside the window, recovery', () => {
  assert.deepEqual(phases(s).map((p) => [p.name, p.start, p.end]), [
    ['baseline', 0, 5000],
    ['attack', 5000, 10000],
    ['attack: conn-flood#2 starts', 10000, 15000],
    ['attack: tcp_syncookies=1', 15000, 20000],
    ['attack: conn-flood#2 stops', 20000, 25000],
    ['recovery', 25000, 30000],
  ]);
});

test('no attack: one baseline phase', () => {
  assert.deepEqual(phases({ ...s, attacks: [] }).map((p) => p.name), ['baseline']);
});

test('scaling shrinks every time and keeps buckets ≥ 250 ms', () => {
  const t = scaleScenario(s, 0.3);
  assert.equal(t.durationS, 9);
  assert.equal(t.attacks[0]?.startS, 1.5);
  assert.equal(t.changes[0]?.atS, 4.5);
  assert.equal(t.bucketMs, 300);
  assert.equal(scaleScenario(s, 0.1).bucketMs, 250);
  assert.throws(() => scaleScenario(s, 0), /scale/);
});

test('events are in time order', () => {
  const at = scheduledEvents(s).map((e) => e.at);
  assert.deepEqual(at, [...at].sort((a, b) => a - b));
  assert.equal(scheduledEvents(s).length, 5);
});

test('wrk windows: the warm-up before t = 0, baseline, the attack\'s first 5 s, the rest, recovery; under 1 s dropped', () => {
  assert.deepEqual(wrkWindows(s).map((p) => [p.name, p.start, p.end]), [
    ['warm-up', -10_000, 0], ['baseline', 0, 5000], ['attack, first 5 s', 5000, 10000], ['attack, after 5 s', 10000, 25000], ['recovery', 25000, 30000],
  ]);
  // the warm-up is the server's, not the timeline's: --short leaves it whole
  const short = scaleScenario(s, 0.3); // attack 1.5 s-7.5 s of 9 s
  assert.deepEqual(wrkWindows(short).map((p) => [p.name, p.start, p.end]), [
    ['warm-up', -10_000, 0], ['baseline', 0, 1500], ['attack, first 5 s', 1500, 6500], ['attack, after 5 s', 6500, 7500], ['recovery', 7500, 9000],
  ]);
  const cold = { ...s, client: { ...s.client, warmUpS: 0 } };
  assert.deepEqual(wrkWindows(cold).map((p) => p.name), ['baseline', 'attack, first 5 s', 'attack, after 5 s', 'recovery']);
  const calm = parseScenario('description: t\ndurationS: 0.5\nvictim: { backlog: 64 }\n', 'c');
  assert.deepEqual(wrkWindows(calm), []);
  const quiet = parseScenario('description: t\ndurationS: 8\nvictim: { backlog: 64 }\nclient: { kind: wrk, warmUpS: 3 }\n', 'q');
  assert.deepEqual(wrkWindows(quiet).map((p) => [p.name, p.start, p.end]), [['warm-up', -3000, 0], ['baseline', 0, 8000]]);
  assert.throws(() => parseScenario('description: t\ndurationS: 8\nvictim: { backlog: 64 }\nclient: { warmUpS: 31 }\n', 'w'), /warmUpS/);
});
