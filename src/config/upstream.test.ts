import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configFrom, parseConfig } from './load.js';

test('upstream is disabled by default and needs nothing then', () => {
  const c = configFrom({}).upstream;
  assert.equal(c.enabled, false);
  assert.equal(c.steps.rtbh.enabled, false, 'RTBH only when explicitly enabled');
  assert.equal(c.steps.rtbh.community, '65535:666');
  assert.equal(c.saturation.confirm, 5000);
});

test('a malformed escalation config names the key', () => {
  assert.throws(() => parseConfig('upstream:\n  enabled: true\n  dryRun: true\n'), /upstream\.ownNetworks: must list at least one network/);
  assert.throws(() => parseConfig('upstream:\n  enabled: true\n  ownNetworks: [198.18.1.0/24]\n'),
    /upstream\.bgp\.peer: is required.*upstream\.bgp\.peerAs: is required.*upstream\.bgp\.localAs: is required.*upstream\.bgp\.localAddress: is required/);
  assert.throws(() => parseConfig('upstream:\n  ownNetworks: [198.18.1.300/24]\n'), /upstream\.ownNetworks\.0: /);
  assert.throws(() => parseConfig('upstream:\n  steps:\n    discard:\n      holdDown: 60\n'), /upstream\.steps\.discard\.holdDown: expected a duration/);
  assert.throws(() => parseConfig('upstream:\n  steps:\n    blackhole: {}\n'), /upstream\.steps\.blackhole: unknown key/);
  assert.throws(() => parseConfig('upstream:\n  saturation:\n    enter: 0.5\n'), /upstream\.saturation\.exit: must be at most enter/);
  assert.throws(() => parseConfig('upstream:\n  bgp:\n    peer: router\n'), /upstream\.bgp\.peer: expected an IP address/);
  assert.throws(() => parseConfig('upstream:\n  steps:\n    rtbh: { community: "blackhole" }\n'), /upstream\.steps\.rtbh\.community: /);
  const ok = parseConfig('upstream:\n  enabled: true\n  ownNetworks: ["::ffff:198.18.1.0/120"]\n  bgp: { peer: 198.18.0.1, peerAs: 65001, localAs: 65002, localAddress: 198.18.0.2 }\n');
  assert.deepEqual(ok.upstream.ownNetworks, ['198.18.1.0/24']);
});
