// Unit tests for the nft script text and the `nft -j` parser (fixture captured from nftables 1.0.6 in a namespace).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from '../testing/fixtures.js';
import { parseCidr } from '../core/address.js';
import type { Change } from './buffer.js';
import { ChangeBuffer } from './buffer.js';
import { hostStatements, initScript, legacyStatements, netPlan, netStatements, restScript, timeoutText } from './nft-script.js';
import { meterScript, removeMeterScript, type MeterOptions } from './meter-script.js';
import { parseNftBans } from './nft-parse.js';

const NOW = 1_800_000_000_000;
const METER: MeterOptions = { perSource: 50, burst: 100, perPrefix: 400, prefixBurst: 800, proven: 1000, capProven: false, holdMs: 60_000, size: 1024, prefixes: { ipv4: 24, ipv6: 64 } };
const ban = (value: string, until: number | null): Change => ({ cidr: parseCidr(value), value, until });

describe('nft script', () => {
  it('init adds (never creates) and refills the chain in one script', () => {
    const s = initScript();
    assert.match(s, /^add table inet synguard$/m);
    assert.match(s, /flags interval, timeout/);
    assert.match(s, /hook prerouting priority raw/);
    assert.match(s, /^flush chain inet synguard prerouting$/m);
    assert.doesNotMatch(s, /^create /m);
  });

  const rules = (script: string, chain: string) => script.split('\n').filter((l) => l.startsWith(`add rule inet synguard ${chain} `)).map((l) => l.slice(`add rule inet synguard ${chain} `.length));

  it('the spared clients are looked up only for a source inside a banned prefix', () => {
    assert.deepEqual(rules(initScript(), 'bans'), [
      'ip saddr @ban4 counter drop', 'ip6 saddr @ban6 counter drop', 'ip saddr @net4 goto prefixban', 'ip6 saddr @net6 goto prefixban',
    ]);
    assert.deepEqual(rules(initScript(), 'prefixban'), ['ip saddr @spare4 counter accept', 'ip6 saddr @spare6 counter accept', 'counter drop']);
    assert.deepEqual(rules(restScript(), 'bans'), [], 'at rest the ban chain is empty');
  });

  it('one prerouting base chain: SYNs to the meter, then every packet to the bans; only rest drops that jump', () => {
    const base = ['tcp flags & (syn | ack) == syn jump synmeter', 'jump bans'];
    assert.deepEqual(rules(restScript(), 'prerouting'), base.slice(0, 1));
    const writers = [initScript(), meterScript(METER), meterScript({ ...METER, countOnly: true }), removeMeterScript(1024)];
    for (const script of writers) assert.deepEqual(rules(script, 'prerouting'), base);
    for (const script of [...writers, restScript()]) {
      assert.equal(script.match(/hook prerouting priority raw;/g)?.length, 1);
      assert.doesNotMatch(script.replace(legacyStatements().join('\n'), ''), /synrate/, 'the old base chain only to remove it');
    }
    assert.ok(initScript().includes(legacyStatements().join('\n')), 'init removes the old meter base chain');
  });

  it('the meter returns to the base chain instead of accepting (the bans come next), and a busy proven source only when calm', () => {
    const calm = meterScript(METER), attack = meterScript({ ...METER, capProven: true }), dry = meterScript({ ...METER, countOnly: true });
    assert.doesNotMatch(calm + attack + dry, / accept$/m);
    assert.deepEqual(rules(calm, 'synmeter').slice(0, 3), ['ip saddr @allow4 return', 'ip saddr @meter4 drop', 'ip saddr @proven4 goto synproven']);
    assert.equal(rules(calm, 'synproven')[0], 'ip saddr @busy4 return');
    assert.equal(rules(attack, 'synproven')[0], 'ip saddr @busy4', 'under attack every proven SYN goes on to the proven limit');
    assert.match(rules(attack, 'synproven')[2] ?? '', /@fast4 .* drop$/);
    assert.doesNotMatch(rules(dry, 'synmeter').join('\n'), / drop$/m, 'count-only drops nothing');
  });

  it('timeouts are until - now in ms, null once past', () => {
    assert.equal(timeoutText(NOW + 2500, NOW), '2500ms');
    assert.equal(timeoutText(NOW, NOW), null);
  });

  it('host changes: bare add, delete, then timed add', () => {
    const s = hostStatements([ban('198.51.100.7/32', NOW + 1000), ban('198.51.100.8/32', null), ban('2001:db8::5/128', NOW + 60_000)], NOW);
    assert.deepEqual(s, [
      'add element inet synguard ban4 { 198.51.100.7, 198.51.100.8 }',
      'delete element inet synguard ban4 { 198.51.100.7, 198.51.100.8 }',
      'add element inet synguard ban4 { 198.51.100.7 timeout 1000ms }',
      'add element inet synguard ban6 { 2001:db8::5 }',
      'delete element inet synguard ban6 { 2001:db8::5 }',
      'add element inet synguard ban6 { 2001:db8::5 timeout 60000ms }',
    ]);
  });

  it('host changes the kernel certainly lacks: one timed add, no guard', () => {
    const absent = (v: string) => v !== '198.51.100.8/32';
    const s = hostStatements([ban('198.51.100.7/32', NOW + 1000), ban('198.51.100.8/32', NOW + 2000), ban('198.51.100.9/32', null)], NOW, undefined, absent);
    assert.deepEqual(s, [
      'add element inet synguard ban4 { 198.51.100.8 }',
      'delete element inet synguard ban4 { 198.51.100.8 }',
      'add element inet synguard ban4 { 198.51.100.7 timeout 1000ms, 198.51.100.8 timeout 2000ms }',
    ]);
  });

  it('prefix changes: deletes only what the kernel holds', () => {
    const plan = netPlan([{ value: '203.0.113.0/24', until: NOW + 5000 }], [ban('198.51.100.0/24', null), ban('203.0.113.0/24', null)], NOW);
    assert.deepEqual(plan.deletes.map((c) => `${c.address}/${c.length}`), ['203.0.113.0/24']);
    assert.deepEqual(plan.adds, []);
    assert.deepEqual(netStatements(plan, NOW), [
      'add element inet synguard net4 { 203.0.113.0/24 }',
      'delete element inet synguard net4 { 203.0.113.0/24 }',
    ]);
  });

  it('overlapping prefixes merge into the widest, lasting as long as the longest', () => {
    const kernel = [{ value: '198.51.100.0/24', until: NOW + 10_000 }, { value: '2001:db8::/64', until: NOW + 1000 }];
    const plan = netPlan(kernel, [ban('198.51.100.128/25', NOW + 50_000), ban('2001:db8::/48', NOW + 2000)], NOW);
    assert.deepEqual(plan.adds.map((a) => [`${a.cidr.address}/${a.cidr.length}`, a.until - NOW]), [['198.51.100.0/24', 50_000], ['2001:db8::/48', 2000]]);
    assert.equal(plan.deletes.length, 2);
  });

  it('nests across kernel and batch collapse into one element; disjoint prefixes are left alone', () => {
    const kernel = [{ value: '198.51.100.0/24', until: NOW + 10_000 }, { value: '203.0.113.0/24', until: NOW + 10_000 }];
    const plan = netPlan(kernel, [ban('198.51.0.0/16', NOW + 5000), ban('198.51.7.0/24', NOW + 20_000), ban('2001:db8::/64', NOW + 1000)], NOW);
    assert.deepEqual(plan.adds.map((a) => [`${a.cidr.address}/${a.cidr.length}`, a.until - NOW]), [['198.51.0.0/16', 20_000], ['2001:db8::/64', 1000]]);
    assert.deepEqual(plan.deletes.map((c) => `${c.address}/${c.length}`), ['198.51.100.0/24']);
  });

  it('many prefix deletes rewrite the set (flush and add back) instead', () => {
    const kernel = Array.from({ length: 300 }, (_, i) => ({ value: `10.${i >> 8}.${i & 255}.0/24`, until: NOW + 60_000 }));
    const changes = kernel.slice(0, 299).map((k) => ban(k.value, null));
    const s = netStatements(netPlan(kernel, changes, NOW), NOW);
    assert.deepEqual(s, ['flush set inet synguard net4', 'add element inet synguard net4 { 10.1.43.0/24 timeout 60000ms }']);
  });

  it('a new ban for the same prefix replaces the old timeout, even a shorter one', () => {
    const plan = netPlan([{ value: '198.51.100.0/24', until: NOW + 10_000 }], [ban('198.51.100.0/24', NOW + 3000)], NOW);
    assert.deepEqual(plan.adds.map((a) => a.until - NOW), [3000]);
  });
});

describe('change buffer', () => {
  it('canonicalises, keeps the last word, and restores without overwriting newer changes', () => {
    const b = new ChangeBuffer();
    b.add({ value: '::ffff:198.51.100.7', family: 4, until: NOW });
    b.delete('198.51.100.7/32');
    const taken = b.take();
    assert.deepEqual(taken.map((c) => [c.value, c.until]), [['198.51.100.7/32', null]]);
    b.add({ value: '198.51.100.7', family: 4, until: NOW + 1 });
    b.restore(taken);
    assert.deepEqual(b.take().map((c) => c.until), [NOW + 1]);
    assert.throws(() => b.add({ value: '198.51.100.7; drop', family: 4, until: NOW }), /e\.g\./);
  });
});

describe('nft -j parser', () => {
  it('reads hosts and prefixes from a real capture, until from expires', () => {
    const json = readFileSync(join(FIXTURES, 'enforce', 'nft-list-table.json'), 'utf8');
    const bans = parseNftBans(json, NOW);
    assert.deepEqual(bans, [
      { value: '198.18.2.7/32', until: NOW + 599_000 },
      { value: '2001:db8:1::5/128', until: NOW + 899_000 },
      { value: '198.18.1.0/24', until: NOW + 999_000 },
      { value: '2001:db8:2::/64', until: NOW + 119_000 },
    ]);
  });

  it('rejects text that is not nft JSON', () => {
    assert.throws(() => parseNftBans('Error: oops', NOW), /not JSON/);
    assert.throws(() => parseNftBans('{}', NOW), /nftables/);
  });
});
