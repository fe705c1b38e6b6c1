// Pure flood building blocks: budgets, hping3 arguments, the spoof ruleset, range checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { floodBudget, hpingArgs, insideLabRanges, parseHpingSent, spoofRuleset } from './flood-args.js';

test('floodBudget caps count by maxPackets, pps × duration and 30 s', () => {
  assert.deepEqual(floodBudget(1000, 1e9, 5), { count: 5000, durationS: 5, intervalUs: 1000 });
  assert.equal(floodBudget(1000, 1200, 5).count, 1200);
  assert.equal(floodBudget(100, 1e9, 120).durationS, 30);
  assert.equal(floodBudget(100, 1e9, 120).count, 3000);
  assert.throws(() => floodBudget(0, 10, 1), /positive pps/);
});

test('insideLabRanges accepts only 198.18.0.0/15 and 2001:db8::/32', () => {
  assert.ok(insideLabRanges('198.19.0.0/16'));
  assert.ok(insideLabRanges('198.18.0.1'));
  assert.ok(insideLabRanges('2001:db8:0:2::/64'));
  assert.ok(!insideLabRanges('198.16.0.0/12'));
  assert.ok(!insideLabRanges('10.0.0.1'));
  assert.ok(!insideLabRanges('2001:db9::/64'));
  assert.ok(!insideLabRanges('2001::/16'));
  assert.ok(!insideLabRanges('garbage'));
});

test('spoofRuleset rewrites only marked SYNs into the prefix', () => {
  const rules = spoofRuleset('t', '198.19.0.0/16', 40);
  assert.match(rules, /ip ttl 40 tcp flags & \(syn \| ack\) == syn ip saddr set numgen random mod 65536 offset 3323133952;/);
  assert.match(spoofRuleset('t', '198.18.5.7/24', 40), /mod 256 offset 3323069696;/);
});

test('hping3 arguments are bounded and its statistics parse', () => {
  const args = hpingArgs('198.18.0.1', 80, floodBudget(2000, 1000, 10), 41);
  assert.deepEqual(args, ['-q', '-S', '-p', '80', '-i', 'u500', '-c', '1000', '--ttl', '41', '198.18.0.1']);
  assert.ok(!args.includes('--rand-source') && !args.includes('--flood'));
  assert.equal(parseHpingSent('--- 198.18.0.1 hping statistic ---\n11074 packets transmitted, 0 packets received'), 11074);
  assert.equal(parseHpingSent('3 packets tramitted, 0 packets received'), 3);
  assert.equal(parseHpingSent('nothing'), null);
});
