import { test } from 'node:test';
import assert from 'node:assert/strict';
import { thousands } from './format.js';
import { normalizeAddress, parseCidr, prefixOf, cidrContains, formatV4, formatV6 } from './address.js';

test('IPv4-mapped IPv6 addresses are normalised to IPv4', () => {
  assert.equal(normalizeAddress('::ffff:127.0.0.1'), '127.0.0.1');
  assert.equal(normalizeAddress('::FFFF:198.18.0.9'), '198.18.0.9');
  assert.equal(normalizeAddress('[2001:db8::1]'), '2001:db8::1');
  assert.equal(normalizeAddress('2001:0db8:0000::0001'), '2001:db8::1');
});

test('odd and malformed addresses are rejected', () => {
  for (const bad of ['', '1', '0x7f.0.0.1', '256.1.1.1', '1.2.3', 'a;rm -rf /', '2001:db8::g']) {
    assert.equal(normalizeAddress(bad), null, bad);
  }
});

test('parseCidr masks host bits, maps ::ffff:/96+ lengths, and explains errors', () => {
  assert.deepEqual(parseCidr('198.18.5.77/24'), { family: 4, address: '198.18.5.0', length: 24 });
  assert.deepEqual(parseCidr('2001:db8:1:2:3::/64'), { family: 6, address: '2001:db8:1:2::', length: 64 });
  assert.deepEqual(parseCidr('::ffff:198.18.0.1/120'), { family: 4, address: '198.18.0.0', length: 24 });
  assert.deepEqual(parseCidr('198.18.0.1'), { family: 4, address: '198.18.0.1', length: 32 });
  assert.throws(() => parseCidr('198.18.0.0/33'), /prefix length must be 0-32.*e\.g\./);
  assert.throws(() => parseCidr('198.18.0.0/2x'), /bad prefix length/);
  assert.throws(() => parseCidr('example.com'), /not an IP address or CIDR/);
});

test('prefixOf uses the family-specific length', () => {
  assert.equal(prefixOf('198.18.7.9', 24, 64), '198.18.7.0/24');
  assert.equal(prefixOf('2001:db8:0:1:aaaa::5', 24, 64), '2001:db8:0:1::/64');
  assert.equal(prefixOf('198.18.7.9', 16, 48), '198.18.0.0/16');
});

test('cidrContains compares within one family, mapped forms included', () => {
  const net = parseCidr('127.0.0.0/8');
  assert.ok(cidrContains(net, '::ffff:127.0.0.1'));
  assert.ok(!cidrContains(net, '::1'));
  assert.ok(cidrContains(parseCidr('2001:db8::/32'), '2001:db8:ffff::1'));
});

test('compact forms format back to text', () => {
  assert.equal(formatV4(0xc6120001), '198.18.0.1');
  assert.equal(formatV6('20010db8000000000000000000000001'), '2001:db8::1');
});

test('thousands separators', () => {
  assert.deepEqual([0, 7, 999, 1000, 182738, 1234567.6, -45000].map(thousands), ['0', '7', '999', '1,000', '182,738', '1,234,568', '-45,000']);
});

test('parseCidr\'s fast path for canonical IPv4 hosts answers as the full parse does, and lets every other form through to it', () => {
  for (const v of ['198.51.100.7', '198.51.100.7/32', '0.0.0.0', '255.255.255.255/32', '10.0.0.1']) {
    assert.deepEqual(parseCidr(v), { family: 4, address: v.replace('/32', ''), length: 32 });
  }
  assert.deepEqual(parseCidr('198.51.100.7/31'), { family: 4, address: '198.51.100.6', length: 31 });
  assert.deepEqual(parseCidr('::ffff:198.51.100.7'), { family: 4, address: '198.51.100.7', length: 32 });
  for (const bad of ['256.1.1.1', '198.51.100.7/33', '198.51.100', '198.51.100.7/32/1']) assert.throws(() => parseCidr(bad), /not an IP|prefix length/);
});
