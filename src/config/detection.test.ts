// The detection section: one sub-section per signal, defaults that protect a web server, hysteresis, the meter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configFrom, parseConfig } from './load.js';

test('no file at all: every signal has its default', () => {
  const d = configFrom({}).detection;
  assert.deepEqual(d.synFlood, { minHalfOpen: 256, minCookieRate: 200, minDropRate: 50, concentratedShare: 0.5, maxOffenders: 32 });
  assert.deepEqual(d.halfOpen, { ban: 32, clear: 16 });
  assert.deepEqual(d.prefixHalfOpen, { ban: 128, clear: 64 });
  assert.deepEqual(d.established, { ban: 50, clear: 25, maxOffenders: 32 });
  assert.deepEqual(d.prefixEstablished, { ban: 1000, clear: 500 });
  assert.deepEqual(d.spoofed, { minSources: 64, maxCookieReturn: 0.05 });
  assert.deepEqual(d.weakConfig, { minListenerBacklog: 128, maxSynackRetries: 5 });
  assert.deepEqual(d.synRate, { enabled: true, perSource: 50, burst: 100, perPrefix: 400, prefixBurst: 800, proven: 10_000, hold: 60_000, size: 65_536 });
  assert.deepEqual(d.capacity, { enabled: true, minAcceptQueue: 1, fullFor: 1000, share: 0.5, minHeld: 10, minConnections: 50, minPerAddress: 2, maxOffenders: 16, slots: {} });
  assert.deepEqual(Object.keys(d).sort(), ['capacity', 'established', 'halfOpen', 'prefixEstablished', 'prefixHalfOpen', 'spoofed', 'synFlood', 'synRate', 'weakConfig']);
  assert.ok(Object.isFrozen(d.established));
  assert.ok(Object.isFrozen(d.synRate));
});

test('hysteresis: clear must stay below ban, even when clear is left at its default', () => {
  const c = parseConfig('detection:\n  halfOpen:\n    ban: 64\n');
  assert.deepEqual(c.detection.halfOpen, { ban: 64, clear: 16 });
  assert.throws(() => parseConfig('detection:\n  halfOpen:\n    ban: 10\n'), /detection\.halfOpen\.clear: must be below ban \(10\), is 16 \(default\)/);
  assert.throws(() => parseConfig('detection:\n  established: {ban: 5, clear: 5}\n'), /detection\.established\.clear: must be below ban \(5\), is 5/);
  assert.throws(() => parseConfig('detection:\n  prefixEstablished: {ban: 400}\n'), /detection\.prefixEstablished\.clear: must be below ban \(400\), is 500 \(default\)/);
});

test('each signal is checked by name: ranges, caps and unknown keys', () => {
  const c = parseConfig('detection:\n  established: { ban: 80, maxOffenders: 4 }\n');
  assert.deepEqual(c.detection.established, { ban: 80, clear: 25, maxOffenders: 4 });
  assert.throws(() => parseConfig('detection:\n  established: { maxOffenders: 0 }\n'), /detection\.established\.maxOffenders: .*found 0 \(number\)/);
  assert.throws(() => parseConfig('detection:\n  synFlood: { concentratedShare: 2 }\n'), /detection\.synFlood\.concentratedShare: .*found 2 \(number\)/);
  assert.throws(() => parseConfig('detection:\n  halfOpen: { maxOffenders: 4 }\n'), /detection\.halfOpen\.maxOffenders: unknown key/);
  assert.throws(() => parseConfig('detection:\n  newPerSecond: { ban: 50 }\n'), /detection\.newPerSecond: unknown key/);
});

test('the kernel meter lives at detection.synRate', () => {
  const c = parseConfig('detection:\n  synRate:\n    perSource: 100\n    hold: 2m\n');
  assert.equal(c.detection.synRate.perSource, 100);
  assert.equal(c.detection.synRate.hold, 120_000);
  assert.throws(() => parseConfig('detection:\n  synRate: { perSource: 20000 }\n'), /detection\.synRate\.proven: must be at least perSource \(20000\)/);
});

test('capacity.slots: port keys and positive slot counts, errors naming the key', () => {
  assert.deepEqual(parseConfig('detection:\n  capacity:\n    slots: { 8080: 150, 443: 2000 }\n').detection.capacity.slots, { 8080: 150, 443: 2000 });
  assert.throws(() => parseConfig('detection:\n  capacity:\n    slots: { http: 150 }\n'), /detection\.capacity\.slots\.http: expected a TCP port \(1-65535\), found the key "http" \(string\)/);
  assert.throws(() => parseConfig('detection:\n  capacity:\n    slots: { 70000: 150 }\n'), /detection\.capacity\.slots\.70000: expected a TCP port \(1-65535\)/);
  // a key that is blank in the path is quoted there too (found by the config fuzz, seed 1587458933)
  assert.throws(() => parseConfig('detection:\n  capacity:\n    slots:\n      " ":\n'), /config: detection\.capacity\.slots\." ": expected a TCP port/);
  assert.throws(() => parseConfig('detection:\n  capacity:\n    slots: { 8080: 0 }\n'), /detection\.capacity\.slots\.8080: .*found 0 \(number\)/);
});
