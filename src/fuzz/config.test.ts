// Fuzz: the config loader on random YAML trees (real key paths with random values, random keys, random text). It
// returns a frozen config or throws one config error (exit code 2) that names a key, or the YAML position; never
// anything else. Found by it: `constructor:` and `__proto__:` threw a TypeError (the moved-keys table was read
// through the prototype), and an alias bomb threw the YAML library's ReferenceError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { configFrom, parseConfig } from '../config/load.js';
import { SynguardError } from '../core/errors.js';
import { check } from './runs.js';

/** Every key path of the default config (defender.bans.memory, …), so random trees reach the deep keys. */
function paths(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => [prefix.concat(k), ...paths(v, prefix.concat(k))]);
}
const KEYS = paths(configFrom({})).filter((p) => p.length > 0);
const SEGMENTS = [...new Set(KEYS.flat())];

const leaf = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom('1s', '0s', '-1s', '5m', '1h', '10d', '99999d', '1.5s', 's', '', 'true', 'on', '0x10', '010', '1e3'),
  fc.double(), fc.integer(), fc.boolean(),
  fc.constantFrom('198.18.0.0/15', '::ffff:127.0.0.1', '0.0.0.0/0', '::/0', '010.1.1.1', 'fe80::1%eth0', '127.0.0.1:9717', '[::1]:0', 'nftables', 'ipset'),
  fc.array(fc.constantFrom('198.18.0.1', '2001:db8::/32', 'x', '', '1.2.3.4/33'), { maxLength: 4 }),
);

/** A tree that sets some real key paths (and some invented ones) to random values. */
const tree = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...KEYS), fc.array(fc.constantFrom(...SEGMENTS, 'constructor', '__proto__', 'toString', 'x'), { minLength: 1, maxLength: 4 })), leaf), { maxLength: 6 })
  .map((sets) => {
    const root: Record<string, unknown> = {};
    for (const [path, value] of sets) {
      let node = root;
      for (const key of path.slice(0, -1)) {
        const next = Object.hasOwn(node, key) ? node[key] : undefined;
        node = typeof next === 'object' && next !== null && !Array.isArray(next) ? next as Record<string, unknown> : (node[key] = {});
      }
      Object.defineProperty(node, path[path.length - 1]!, { value, enumerable: true, writable: true, configurable: true });
    }
    return root;
  });

const yamlText = fc.oneof(
  tree.map((t) => stringify(t)),
  fc.string({ unit: fc.constantFrom(...'defnr:{}[]-&*!|>\'" \n\t#0123456789.%@`<='), maxLength: 120 }),
  tree.map((t) => stringify(t)).chain((s) => fc.nat({ max: s.length }).map((n) => s.slice(0, n))),
  fc.constantFrom('a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n', 'defender: &a {x: *a}\n', 'constructor: 1\n', '__proto__: {a: 1}\n'),
);

function loads(text: string): void {
  try {
    const config = parseConfig(text);
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.defender));
  } catch (err) {
    assert.ok(err instanceof SynguardError, `not a config error: ${String(err)}\n${text}`);
    assert.equal(err.code, 'config');
    assert.equal(err.exitCode, 2);
    assert.doesNotMatch(err.message, /\n/);
    // It names a key (`defender.interval: …`, `(top level): …`) or the YAML position.
    assert.match(err.message, /^config: (YAML error|\(top level\)|([^\s:"]+\.)*("(?:[^"\\]|\\.)*"|[^\s:"]+): )/, err.message);
  }
}

test('fuzz: config loader: random YAML trees and text give a config or one line naming the key, exit 2', () => {
  check('config loader', fc.property(yamlText, loads), 3000);
});

test('found by the fuzzer: prototype keys and alias bombs are config errors', () => {
  for (const text of ['constructor: 1\n', '__proto__: {a: 1}\n', 'defender:\n  toString: 1\n']) {
    assert.throws(() => parseConfig(text), (err: unknown) => err instanceof SynguardError && /unknown key/.test(err.message), text);
  }
  assert.throws(() => parseConfig(': 1\n'), (err: unknown) => err instanceof SynguardError && err.message === 'config: "": unknown key');
  assert.throws(() => parseConfig('a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n'),
    (err: unknown) => err instanceof SynguardError && err.code === 'config' && /YAML error/.test(err.message));
});
