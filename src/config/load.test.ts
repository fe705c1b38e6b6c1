// Loading the config: defaults with no file, partial sections, unknown keys, named errors, YAML syntax errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configFrom, parseConfig, loadConfig } from './load.js';

test('no file at all gives the documented defaults, frozen', () => {
  const c = configFrom({});
  assert.equal(c.prefixes.ipv4, 24);
  assert.equal(c.prefixes.ipv6, 64);
  assert.equal(c.detection.halfOpen.ban, 32);
  assert.ok(Object.isFrozen(c.detection.synFlood));
  assert.throws(() => { (c.prefixes as { ipv4: number }).ipv4 = 8; }, TypeError);
});

test('partial sections keep the other defaults', () => {
  const c = parseConfig('detection:\n  spoofed:\n    minSources: 500\n');
  assert.equal(c.detection.spoofed.minSources, 500);
  assert.equal(c.detection.spoofed.maxCookieReturn, 0.05);
});

test('unknown keys are rejected by name', () => {
  assert.throws(() => parseConfig('prefixes:\n  ipv5: 24\n'), /prefixes\.ipv5: unknown key/);
  assert.throws(() => parseConfig('bogus: 1\n'), /config: bogus: unknown key/);
});

test('bad values name the key, the expectation and what was found', () => {
  assert.throws(() => parseConfig('prefixes:\n  ipv4: "24"\n', 'x.yaml'), /x\.yaml: prefixes\.ipv4: .*number.*found "24" \(string\)/);
  assert.throws(() => parseConfig('prefixes:\n  ipv4: 40\n'), /prefixes\.ipv4: .*32.*found 40 \(number\)/);
});

test('YAML syntax errors give a line number; a missing explicit file is an error', () => {
  assert.throws(() => parseConfig('prefixes: [\n'), /YAML error at line/);
  assert.throws(() => loadConfig('/nonexistent/synguard.yaml'), /does not exist/);
});

test('a YAML syntax error names its real line and column, never "line ?"', () => {
  assert.throws(() => parseConfig('prefixes:\n  ipv4: 24\n bad: [1\n', 'c.yaml'), /^SynguardError: c\.yaml: YAML error at line 3, column 1: All mapping items/);
  assert.throws(() => parseConfig('defender:\n  dryRun: true\n    interval: 1s\n'), /YAML error at line 2, column 11: Nested mappings/);
});
