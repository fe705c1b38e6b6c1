// Fuzz: the parsers of kernel and tool output (/proc/net/tcp{,6}, ss's socket dump, /proc/net/dev, netstat/snmp
// counters, sockstat, ss, nft -j, ip -j, the meter's nft JSON) on random, truncated and re-chunked bytes. They never
// throw anything but the tool's one-line error, and on valid input they never miscount, however the bytes arrive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SynguardError } from '../core/errors.js';
import { parseNftBans } from '../enforce/nft-parse.js';
import { parseOwnAddresses } from '../observe/addresses.js';
import { parseCounterPairs } from '../observe/counters.js';
import { DiagTableParser } from '../observe/diag-table.js';
import { parseSsListeners } from '../observe/listeners.js';
import { parseTimeWait } from '../observe/sockstat.js';
import { meterElements } from '../observe/meter.js';
import { parseNetDev } from '../observe/netdev.js';
import { parseGateways } from '../observe/routes.js';
import { parseSysctlValue } from '../observe/sysctls.js';
import { SocketTally } from '../observe/socket-tally.js';
import { TcpTableParser } from '../observe/tcp-table.js';
import { CAPTURES, fixtureBytes } from '../testing/fixtures.js';
import { T0 } from '../testing/clock.js';
import { check } from './runs.js';

/** Only SynguardError (the tool's one-line message) may come out of a parser. */
function quiet(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof SynguardError, `threw ${String(err)}`);
    assert.doesNotMatch(err.message, /\n/);
  }
}

const tables = CAPTURES.flatMap((c) => [fixtureBytes(c, 'tcp'), fixtureBytes(c, 'tcp6')]).filter((b) => b.length < 200_000);

function parse(buf: Uint8Array, cuts: readonly number[]): { rows: number; bad: number; states: number[] } {
  const tally = new SocketTally();
  const p = new TcpTableParser(tally, true);
  let start = 0;
  const work = new Uint8Array(buf.length);
  let kept = 0; // bytes carried over from the last chunk (an incomplete line)
  for (const cut of [...cuts, buf.length]) {
    const end = Math.max(start, Math.min(cut, buf.length));
    work.set(buf.subarray(start, end), kept);
    const length = kept + end - start;
    const final = end === buf.length;
    const used = p.feed(work, length, final);
    work.copyWithin(0, used, length);
    kept = length - used;
    start = end;
  }
  return { rows: p.rows, bad: p.badLines, states: [...tally.states] };
}

test('fuzz: /proc/net/tcp{,6}: any chunking of a real table counts the same rows and states; truncation and noise never throw', () => {
  const arb = fc.record({
    table: fc.integer({ min: 0, max: tables.length - 1 }),
    cuts: fc.array(fc.nat(), { maxLength: 8 }),
    cutAt: fc.option(fc.nat()),
    noise: fc.option(fc.uint8Array({ maxLength: 400 })),
  });
  check('/proc/net/tcp parser', fc.property(arb, ({ table, cuts, cutAt, noise }) => {
    const full = tables[table]!;
    const whole = parse(full, []);
    const chunked = parse(full, cuts.map((c) => c % (full.length + 1)).sort((a, b) => a - b));
    assert.deepEqual(chunked, whole, 'chunking changes nothing');
    if (cutAt !== null) {
      const t = parse(full.subarray(0, cutAt % (full.length + 1)), []);
      assert.ok(t.rows <= whole.rows + 1);
    }
    if (noise !== null) parse(noise, [noise.length >> 1]);
  }), 300);
});

const ban = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })).map(([a, b]) => `198.18.${a}.${b}`),
  fc.integer({ min: 0, max: 0xffff }).map((n) => `2001:db8::${n.toString(16)}`),
);

test('fuzz: nft -j: random JSON and text never throw but the exec error; a generated listing is read exactly', () => {
  check('nft JSON parser', fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 200 }), fc.json(), fc.jsonValue().map((v) => JSON.stringify({ nftables: [{ set: { name: 'ban4', elem: v } }] }))), (text) => {
    quiet(() => parseNftBans(text, T0));
  }), 3000);
  check('nft JSON count', fc.property(fc.uniqueArray(ban, { maxLength: 50 }), fc.array(fc.integer({ min: 1, max: 86_400 }), { minLength: 50, maxLength: 50 }), (values, expires) => {
    const elem = (v: string, i: number) => ({ elem: { val: v, timeout: 86_400, expires: expires[i] } });
    const doc = { nftables: [{ metainfo: {} }, { set: { name: 'ban4', table: 'synguard', elem: values.filter((v) => !v.includes(':')).map(elem) } },
      { set: { name: 'ban6', table: 'synguard', elem: values.filter((v) => v.includes(':')).map(elem) } }, { set: { name: 'other', elem: ['203.0.113.1'] } }] };
    const bans = parseNftBans(JSON.stringify(doc), T0);
    assert.equal(bans.length, values.length);
    assert.ok(bans.every((b) => b.until !== null && b.until > T0));
  }), 2000);
});

test('fuzz: ss\'s binary socket dump: flipped, cut or random bytes never throw, and never give more rows than messages', () => {
  const dump = fixtureBytes('mixed-table', 'ss-diag');
  const arb = fc.record({
    flips: fc.array(fc.record({ at: fc.nat({ max: dump.length - 1 }), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 12 }),
    cutAt: fc.nat({ max: dump.length }),
    noise: fc.option(fc.uint8Array({ maxLength: 400 })),
    step: fc.integer({ min: 1, max: 5000 }),
  });
  check('ss dump', fc.property(arb, ({ flips, cutAt, noise, step }) => {
    const bytes = Buffer.from(noise ?? dump.subarray(0, cutAt));
    for (const f of flips) if (f.at < bytes.length) bytes[f.at] = f.value;
    const parser = new DiagTableParser(new SocketTally(), true);
    for (let at = 0; at < bytes.length; at += step) parser.push(bytes.subarray(at, at + step));
    assert.ok(parser.pending <= bytes.length);
    assert.ok(parser.rows <= 72 && parser.rows <= bytes.length / 88, `${parser.rows} rows from ${bytes.length} bytes`);
  }), 2000);
});

test('fuzz: /proc/net/dev, netstat/snmp, ss, ip -j, sysctl and meter readers never throw on random or truncated text', () => {
  const sample = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.string({ unit: fc.constantFrom(...'Tcp: Ext 0123456789 \n:|-abcxyz'), maxLength: 300 }),
    fc.string({ unit: fc.constantFrom(...'ESTAB LISTEN SYN-RECV tw 0123456789abcdef.:[]*%\n'), maxLength: 300 }),
    fc.jsonValue().map((v) => JSON.stringify([v])),
    fc.json(),
  );
  check('text readers', fc.property(sample, fc.nat(), (text, cut) => {
    const t = text.slice(0, cut % (text.length + 1));
    for (const s of [text, t]) {
      quiet(() => parseNetDev(s));
      quiet(() => parseCounterPairs(s));
      quiet(() => parseSsListeners(s));
      quiet(() => parseTimeWait(s));
      quiet(() => parseGateways(s));
      quiet(() => parseOwnAddresses(s));
      quiet(() => parseSysctlValue(s));
      let doc: unknown = null;
      try { doc = JSON.parse(s); } catch { /* not JSON: the meter reads a parsed document */ }
      quiet(() => meterElements(doc, T0, 24));
    }
  }), 3000);
});

test('a tool\'s bad output is quoted in one line (found by the fuzzer: a newline in ip\'s output broke the line)', () => {
  assert.throws(() => parseGateways('\nT'), (err: unknown) => err instanceof SynguardError && err.message.endsWith('"\\nT"'));
  assert.throws(() => parseNftBans('oops\nmore', T0), (err: unknown) => err instanceof SynguardError && !err.message.includes('\n'));
});

test('ip JSON with nulls or odd shapes is read, not a TypeError (found by the fuzzer)', () => {
  assert.deepEqual(parseGateways('[null, 1, {"nexthops": [null, {"gateway": "198.18.0.1"}]}, {"via": null}]'), ['198.18.0.1']);
  assert.deepEqual(parseOwnAddresses('[null, {"addr_info": 5}, {"addr_info": [null, {"local": "198.18.0.2"}]}]'), ['198.18.0.2']);
});

test('fuzz: netstat counters: a generated pair of lines is read exactly', () => {
  const names = fc.uniqueArray(fc.stringMatching(/^[A-Z][A-Za-z]{1,12}$/), { minLength: 1, maxLength: 20 });
  check('counter pairs count', fc.property(names, fc.array(fc.nat(), { minLength: 20, maxLength: 20 }), (keys, values) => {
    const text = `TcpExt: ${keys.join(' ')}\nTcpExt: ${keys.map((_, i) => values[i]).join(' ')}\n`;
    const parsed = parseCounterPairs(text);
    for (const [i, k] of keys.entries()) assert.equal(parsed.values.get(`TcpExt.${k}`), values[i]);
    assert.equal(parsed.badLines, 0);
  }), 2000);
});
