// Scenario validation: defaults, errors that name the field, shipped files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadScenario, parseScenario, scenarioNames } from './scenario-load.js';

const ok = `
description: test
durationS: 10
victim: { backlog: 64 }
attacks:
  - { kind: syn-flood, startS: 2, stopS: 8, pps: 100, maxPackets: 1000, spoof: 198.19.0.0/16 }
`;

test('a valid scenario gets its defaults and is frozen', () => {
  const s = parseScenario(ok, 'x');
  assert.equal(s.victim.port, 8080);
  assert.equal(s.probe.rate, 20);
  assert.equal(s.topology.attackers, 1);
  assert.equal(s.defender.enabled, false);
  assert.ok(Object.isFrozen(s));
});

test('errors name the scenario and the field', () => {
  const bad = (text: string, re: RegExp): void => assert.throws(() => parseScenario(text, 'x'), (e: Error) => re.test(e.message) && /^scenario x: /.test(e.message));
  bad(ok.replace('pps: 100', 'pps: -1'), /field attacks\[0\]\.pps/);
  bad(ok.replace('backlog: 64', 'backlog: 64, colour: red'), /field victim\.colour: unknown field/);
  bad(ok.replace('kind: syn-flood', 'kind: ping-flood'), /field attacks\[0\]\.kind/);
  bad(ok.replace('stopS: 8', 'stopS: 1'), /field attacks\[0\]\.stopS: must be after startS/);
  bad(ok.replace('durationS: 10', 'durationS: 60').replace('stopS: 8', 'stopS: 40'), /at most 30 s/);
  bad(ok.replace('198.19.0.0/16', '10.0.0.0/8'), /field attacks\[0\]\.spoof: .*outside the lab ranges/);
  bad(ok.replace('198.19.0.0/16', '2001:db8::/64'), /field attacks\[0\]\.spoof: must be an IPv4 prefix/);
  bad(ok.replace('kind: syn-flood,', 'kind: syn-flood, attacker: 2,'), /field attacks\[0\]\.attacker: topology has 1/);
  bad(ok.replace('victim: { backlog: 64 }', 'victim: { backlog: 64, sysctls: { kernel.panic: 1 } }'), /victim\.sysctls\.kernel\.panic/);
  bad(ok.replace('description: test\n', ''), /field description/);
  bad('a: [unclosed', /not valid YAML/);
  bad(ok + 'changes: [{ atS: 11, sysctls: { tcp_syncookies: 1 } }]\n', /field changes\[0\]\.atS/);
});

test('every shipped scenario validates, and the required ones exist', () => {
  const names = scenarioNames();
  for (const n of ['baseline', 'spoofed-syn', 'spoofed-syn-cookies', 'concentrated-syn', 'concentrated-syn-v6', 'rotating-v6', 'connection-flood', 'mixed', 'trickle']) {
    assert.ok(names.includes(n), n);
  }
  for (const n of names) assert.doesNotThrow(() => loadScenario(n), n);
});

test('an unknown scenario lists the known ones', () => {
  assert.throws(() => loadScenario('nope'), /unknown scenario "nope" \(known: .*spoofed-syn/);
  assert.throws(() => loadScenario('../etc/passwd'), /does not exist|unknown/);
  assert.throws(() => loadScenario('/nonexistent/x.yaml'), /does not exist/);
});
