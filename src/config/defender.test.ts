// The defender section: defaults with no file, strict durations, hysteresis, allow-list CIDRs, named errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configFrom, parseConfig } from './load.js';
import { formatDuration, parseDuration } from './duration.js';

test('no file at all: the defender defaults protect a web server', () => {
  const d = configFrom({}).defender;
  assert.equal(d.interval, 1);
  assert.equal(d.backend, 'nftables');
  assert.equal(d.dryRun, false);
  assert.equal(d.stateDir, '/var/lib/synguard');
  assert.deepEqual(d.sshPorts, [22]);
  assert.deepEqual(d.allowList, []);
  assert.equal(d.bans.base, 10 * 60_000);
  assert.equal(d.bans.factor, 2);
  assert.equal(d.bans.max, 24 * 3_600_000);
  assert.equal(d.bans.memory, 30 * 86_400_000);
  assert.deepEqual(d.bans.prefixAfter, { ipv4: 8, ipv6: 4 });
  assert.equal(d.hardening.synackRetries, 2);
  assert.equal(d.hardening.calmDown, 120_000);
  assert.ok(Object.isFrozen(d.bans.prefixAfter));
});

test('durations are strict: one positive integer and one unit of s, m, h or d', () => {
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('10m'), 600_000);
  assert.equal(parseDuration('1h'), 3_600_000);
  assert.equal(parseDuration('7d'), 7 * 86_400_000);
  for (const bad of ['', '10', '0s', '-5m', '1.5h', '10 m', '1h30m', '10M', 'ten minutes', '010s']) {
    assert.equal(parseDuration(bad), null, bad);
  }
  assert.equal(formatDuration(600_000), '10m');
  assert.equal(formatDuration(90_000), '90s');
  assert.equal(formatDuration(86_400_000), '1d');
});

test('durations in YAML become ms; bad ones name the key, the range and what was found', () => {
  const c = parseConfig('defender:\n  bans:\n    base: 30s\n    max: 1h\n');
  assert.equal(c.defender.bans.base, 30_000);
  assert.equal(c.defender.bans.max, 3_600_000);
  assert.throws(() => parseConfig('defender:\n  bans:\n    base: 600\n'), /defender\.bans\.base: expected a duration .*"10m".*found 600 \(number\)/);
  assert.throws(() => parseConfig('defender:\n  bans:\n    base: 10 minutes\n'), /defender\.bans\.base: .*found "10 minutes" \(string\)/);
  assert.throws(() => parseConfig('defender:\n  bans:\n    base: 2h\n    max: 1h\n'), /defender\.bans\.max: must be at least base \(2h\)/);
});

test('allowList entries are canonical CIDRs; IPv4-mapped forms become IPv4; bad ones give an example', () => {
  const c = parseConfig('defender:\n  allowList: ["::ffff:10.1.2.0/120", 192.0.2.7, "2001:DB8::/32"]\n');
  assert.deepEqual(c.defender.allowList, ['10.1.2.0/24', '192.0.2.7/32', '2001:db8::/32']);
  assert.throws(() => parseConfig('defender:\n  allowList: [10.0.0.300]\n'), /defender\.allowList\.0: .*e\.g\. 198\.51\.100\.7.*found "10\.0\.0\.300"/);
});

test('enums, paths, ports and unknown keys are checked by name', () => {
  assert.throws(() => parseConfig('defender:\n  backend: iptables\n'), /defender\.backend: .*"nftables".*found "iptables"/);
  assert.throws(() => parseConfig('defender:\n  stateDir: var/lib\n'), /defender\.stateDir: expected an absolute path, found "var\/lib"/);
  assert.throws(() => parseConfig('defender:\n  sshPorts: [0]\n'), /defender\.sshPorts\.0: /);
  assert.throws(() => parseConfig('defender:\n  bans:\n    perHour: 5\n'), /defender\.bans\.perHour: unknown key/);
  assert.throws(() => parseConfig('defender:\n  interval: 0\n'), /defender\.interval: .*found 0 \(number\)/);
  assert.equal(parseConfig('defender:\n  interval: 0.5\n  backend: route\n  dryRun: true\n').defender.backend, 'route');
});

test('the defaults block in docs/config.md is exactly the built-in defaults', () => {
  const doc = readFileSync(fileURLToPath(new URL('../../docs/config.md', import.meta.url)), 'utf8');
  const block = /```yaml\n(prefixes:[\s\S]*?)```/.exec(doc)?.[1];
  assert.ok(block, 'docs/config.md has a yaml block starting with prefixes:');
  assert.deepEqual(parseConfig(block, 'docs/config.md'), configFrom({}));
});

test('defender.interval: a duration like every other ("1s"), or a bare number of seconds as before', () => {
  assert.equal(parseConfig('defender:\n  interval: 1s\n').defender.interval, 1);
  assert.equal(parseConfig('defender:\n  interval: 1m\n').defender.interval, 60);
  assert.equal(parseConfig('defender:\n  interval: 0.5\n').defender.interval, 0.5);
  assert.equal(parseConfig('defender:\n  interval: 2\n').defender.interval, 2);
  for (const bad of ['0.05', '61', '2m', '500ms', 'fast', 'true']) {
    assert.throws(() => parseConfig(`defender:\n  interval: ${bad}\n`), /defender\.interval: expected a duration from 1s to 60s .*or a number of seconds from 0\.1 to 60/, bad);
  }
});
