import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCidr } from '../core/address.js';
import { connectedPeers, coveringPeers } from './socket-kill.js';

const SS = [
  'ESTAB 0      0      198.18.0.100:8080 198.18.1.2:51592 ',
  'SYN-RECV 0   0      198.18.0.100:8080 198.18.2.9:4000',
  'ESTAB 0      0          [2001:db8::100]:8080      [2001:db8:0:2::7]:34252',
  'ESTAB 0      0          [::ffff:198.18.0.100]:8080      [::ffff:198.18.3.3]:1111',
  'ESTAB 0      0      [fe80::1%eth0]:22 [fe80::2%eth0]:5000',
  '',
  'garbage',
].join('\n');

test('connectedPeers: the peer column of ss, canonical (brackets, mapped IPv4 and zone ids undone); junk skipped', () => {
  assert.deepEqual([...connectedPeers(SS)].sort(), ['198.18.1.2', '198.18.2.9', '198.18.3.3', '2001:db8:0:2::7', 'fe80::2']);
});

test('coveringPeers: hosts by lookup, prefixes by containment; values that cover nobody are dropped', () => {
  const peers = connectedPeers(SS);
  const values = ['198.18.1.2', '198.18.1.3', '2001:db8:0:2::7/128', '2001:db8:0:2::/64', '198.18.3.0/24', '198.18.9.0/24', '::ffff:198.18.2.9'].map(parseCidr);
  assert.deepEqual(coveringPeers(values, peers).map((c) => `${c.address}/${c.length}`), ['198.18.1.2/32', '2001:db8:0:2::7/128', '2001:db8:0:2::/64', '198.18.3.0/24', '198.18.2.9/32']);
  assert.deepEqual(coveringPeers(values, new Set()), []);
});
