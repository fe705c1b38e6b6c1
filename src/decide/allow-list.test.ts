// The allow-list: loopback and IPv4-mapped bypass attempts, own addresses, gateways, SSH peers, configured CIDRs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildAllowList } from './allow-list.js';
import { overlaps, toNet, contains } from './cidr-math.js';

const allow = buildAllowList({
  own: ['192.0.2.2', 'fd00::2', 'fe80::d027:6dff:fe3e:d3a', 'not an address'],
  gateways: ['192.0.2.1', 'fe80::1'],
  sshPeers: ['198.51.100.9'],
  configured: ['10.20.0.0/16', '2001:db8:aa::/48'],
});

test('loopback, in every spelling, is never banned', () => {
  for (const v of ['127.0.0.1', '127.0.0.1/32', '127.1.2.3', '::ffff:127.0.0.1', '::FFFF:127.0.0.1/128', '::ffff:7f00:1', '::1', '::1/128', '0:0:0:0:0:0:0:1']) {
    assert.equal(allow.isAllowed(v), true, v);
  }
  assert.match(allow.why('::ffff:127.0.0.1') ?? '', /allow-listed: 127\.0\.0\.1\/32 overlaps 127\.0\.0\.0\/8 \(loopback\)/);
});

test('a prefix covering an allow-listed address is refused too (mapped prefixes included)', () => {
  assert.match(allow.why('192.0.2.0/24') ?? '', /192\.0\.2\.0\/24 overlaps 192\.0\.2\.2\/32 \(own address\)/);
  assert.match(allow.why('::ffff:192.0.2.0/120') ?? '', /overlaps 192\.0\.2\.2\/32 \(own address\)/);
  assert.match(allow.why('fe80::/64') ?? '', /own address/);
  assert.match(allow.why('::/0') ?? '', /::1\/128 \(loopback\)/);
  assert.equal(allow.isAllowed('0.0.0.0/0'), true);
  assert.equal(allow.isAllowed('::ffff:0.0.0.0/96'), true, 'the whole mapped range is all of IPv4');
});

test('gateways, SSH peers and configured CIDRs; a neighbour of them is not allow-listed', () => {
  assert.match(allow.why('192.0.2.1') ?? '', /is 192\.0\.2\.1\/32 \(default gateway\)/);
  assert.match(allow.why('::ffff:198.51.100.9') ?? '', /SSH peer/);
  assert.match(allow.why('10.20.30.40') ?? '', /overlaps 10\.20\.0\.0\/16 \(configured\)/);
  assert.match(allow.why('10.0.0.0/8') ?? '', /configured/);
  assert.match(allow.why('2001:db8:aa:1::/64') ?? '', /configured/);
  for (const v of ['198.51.100.10', '192.0.3.1', '10.21.0.1', '2001:db8:ab::1', 'fd00::3', '203.0.113.0/24']) {
    assert.equal(allow.why(v), null, v);
  }
});

test('entries are canonical and deduplicated; malformed reader lines are skipped; malformed queries throw', () => {
  const list = buildAllowList({ own: ['127.0.0.1', '::ffff:192.0.2.2', 'garbage'], configured: ['192.0.2.2/32'] });
  assert.deepEqual(list.entries.map((e) => `${e.value} ${e.source}`), ['127.0.0.0/8 loopback', '::1/128 loopback', '127.0.0.1/32 own address', '192.0.2.2/32 own address']);
  assert.throws(() => list.isAllowed('300.1.1.1'), /not an IP address or CIDR \(e\.g\./);
});

test('CIDR math: overlap and containment are exact at the bit level', () => {
  assert.equal(overlaps(toNet('10.0.0.0/7'), toNet('11.255.255.255')), true);
  assert.equal(overlaps(toNet('10.0.0.0/8'), toNet('11.0.0.0')), false);
  assert.equal(contains(toNet('2001:db8::/32'), toNet('2001:db8:ffff::/48')), true);
  assert.equal(contains(toNet('2001:db8::/48'), toNet('2001:db8::/32')), false);
  assert.equal(overlaps(toNet('0.0.0.0/0'), toNet('::/0')), false, 'families never overlap');
});
