// Fuzz: address and CIDR normalisation. IPv4-mapped forms, zone ids, leading zeros (inet_aton reads 010 as octal 8),
// overlong and odd forms, /0. Nothing slips past the allow-list; nothing bans more than asked; no input throws
// anything but a one-line input error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { normalizeAddress, parseCidr } from '../core/address.js';
import { SynguardError } from '../core/errors.js';
import { configFrom } from '../config/load.js';
import { buildAllowList, manualBan } from '../decide/index.js';
import { toNet } from '../decide/cidr-math.js';
import { T0 } from '../testing/clock.js';
import { check } from './runs.js';

const config = configFrom({});
const octet = fc.integer({ min: 0, max: 255 });
const v4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
const hextet = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
const v6 = fc.array(hextet, { minLength: 8, maxLength: 8 }).map((h) => h.join(':'));
const hex4 = (a: string) => a.split('.').map(Number).reduce<string[]>((out, n, i) => {
  if (i % 2 === 1) out.push(((Number(a.split('.')[i - 1]) << 8) | n).toString(16));
  return out;
}, []).join(':');

/** Ways of writing one address that must all mean the same address. */
const spellings = (a: string): fc.Arbitrary<string> => (a.includes(':')
  ? fc.constantFrom(a, a.toUpperCase(), `[${a}]`, `${a}%eth0`, ` ${a} `, a.split(':').map((h) => h.padStart(4, '0')).join(':'))
  : fc.constantFrom(a, `::ffff:${a}`, `::FFFF:${a}`, `::ffff:${hex4(a)}`, `[::ffff:${a}]`, `0:0:0:0:0:ffff:${a}`, `${a}%lo`, ` ${a}`));

/** Junk and near-misses: random text, and addresses with leading zeros, extra parts, signs, hex and octal forms. */
const junk = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFx.:/%[] -+'), maxLength: 50 }),
  v4.map((a) => a.split('.').map((o, i) => (i === 0 ? `0${o}` : o)).join('.')),
  fc.tuple(v4, octet).map(([a, o]) => `${a}.${o}`),
  v4.map((a) => a.replace(/\d+/, (o) => `0x${Number(o).toString(16)}`)),
  fc.tuple(v4, fc.integer({ min: -5, max: 300 })).map(([a, n]) => `${a}/${n}`),
  fc.tuple(v6, fc.integer({ min: -5, max: 300 })).map(([a, n]) => `${a}/${n}`),
  fc.tuple(v4, fc.integer({ min: 0, max: 40 })).map(([a, n]) => `${a}/0${n}`),
);

/** Decimal reading of a dotted quad with possible leading zeros; null unless four decimal parts 0-255. */
function decimalQuad(text: string): string | null {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text.trim());
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((n) => n <= 255) ? parts.join('.') : null;
}

test('fuzz: normalizeAddress never throws, is idempotent, and never reads a leading zero as octal', () => {
  check('address normalisation', fc.property(fc.oneof(junk, v4, v6, v4.chain(spellings), v6.chain(spellings)), (text) => {
    const out = normalizeAddress(text);
    if (out === null) return;
    assert.equal(normalizeAddress(out), out, `${text} → ${out} is canonical`);
    const quad = decimalQuad(text);
    // A dotted quad with a leading zero is refused, or read as decimal: never as inet_aton's octal.
    if (!text.includes(':') && /(^|\.)0\d/.test(text.trim())) assert.equal(out, quad, `${text} read as ${out}`);
  }), 5000);
});

test('fuzz: every spelling of an address means the same address (mapped, zone id, brackets, case)', () => {
  check('address spellings', fc.property(fc.oneof(v4, v6).chain((a) => fc.tuple(fc.constant(a), spellings(a))), ([a, spelled]) => {
    assert.equal(normalizeAddress(spelled), normalizeAddress(a), spelled);
  }), 5000);
});

test('fuzz: parseCidr accepts or throws one input error; what it accepts contains the address and keeps the length', () => {
  check('CIDR parsing', fc.property(fc.oneof(junk, fc.tuple(fc.oneof(v4, v6), fc.integer({ min: 0, max: 128 })).map(([a, n]) => `${a}/${n}`)), (text) => {
    let cidr;
    try {
      cidr = parseCidr(text);
    } catch (err) {
      assert.ok(err instanceof SynguardError && err.code === 'input', `${text}: ${String(err)}`);
      assert.doesNotMatch(err.message, /\n/);
      return;
    }
    const [addr = '', len] = text.trim().split('/');
    const mapped = addr.includes(':') && cidr.family === 4;
    assert.equal(cidr.length, len === undefined ? (cidr.family === 4 ? 32 : 128) : Number(len) - (mapped ? 96 : 0), text);
    assert.ok(toNet(`${normalizeAddress(addr)}/${cidr.family === 4 ? 32 : 128}`).text.length > 0);
  }), 5000);
});

test('fuzz: no spelling of an allow-listed address or a prefix around it can be banned; /0 and wide prefixes never', () => {
  const arb = fc.record({ allowed: fc.oneof(v4, v6), spelled: fc.nat(), len4: fc.integer({ min: 0, max: 32 }), len6: fc.integer({ min: 0, max: 128 }), wide: fc.boolean() })
    .chain((r) => spellings(r.allowed).map((s) => ({ ...r, s })));
  check('allow-list', fc.property(arb, ({ allowed, s, len4, len6, wide }) => {
    const allow = buildAllowList({ configured: [allowed] });
    const family = allowed.includes(':') ? 6 : 4;
    const len = family === 4 ? len4 : len6;
    const bare = s.trim().replace(/^\[|\]$/g, '').replace(/%.*$/, '');
    const mappedOffset = bare.includes(':') && family === 4 ? 96 : 0;
    const target = wide ? `${bare}/${len + mappedOffset}` : s;
    assert.throws(() => manualBan({ target }, { allow, config, now: T0 }), (err: unknown) => err instanceof SynguardError && err.code === 'input', `${target} must be refused (allowed: ${allowed})`);
  }), 5000);
});

test('fuzz: a manual ban bans exactly the network asked for (never wider), and /0 is always refused', () => {
  const allow = buildAllowList({});
  const arb = fc.oneof(
    fc.tuple(v4, fc.integer({ min: 0, max: 32 })).map(([a, n]) => ({ text: `${a}/${n}`, addr: a, len: n })),
    fc.tuple(v4, fc.integer({ min: 0, max: 32 })).map(([a, n]) => ({ text: `::ffff:${a}/${n + 96}`, addr: a, len: n })),
    fc.tuple(v6, fc.integer({ min: 0, max: 128 })).map(([a, n]) => ({ text: `${a}/${n}`, addr: a, len: n })),
  );
  check('ban width', fc.property(arb, ({ text, addr, len }) => {
    let d;
    try {
      d = manualBan({ target: text }, { allow, config, now: T0 });
    } catch (err) {
      assert.ok(err instanceof SynguardError && err.code === 'input');
      const widest = addr.includes(':') ? 16 : 8;
      assert.ok(len < widest || /^(127\.|0*:0*:0*:0*:0*:0*:0*:0*1$)/.test(addr) || toNet(`${addr}/${len}`).text.startsWith('127.') || allow.isAllowed(`${addr}/${len}`), `${text} refused: ${err.message}`);
      return;
    }
    const asked = toNet(`${addr}/${len}`);
    assert.equal(d.value, asked.text, `${text} banned as ${d.value}`);
    assert.notEqual(len, 0);
  }), 5000);
});
