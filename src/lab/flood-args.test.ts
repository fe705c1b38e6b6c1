// Pure flood building blocks: budgets, hping3 arguments, the spoof ruleset, range checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { floodBudget, floodRuleset, hpingArgs, insideLabRanges, parseSentCounter } from './flood-args.js';

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

test('floodRuleset counts only marked SYNs, and rewrites them into the prefix when spoofing', () => {
  const rules = floodRuleset('t', 40, '198.19.0.0/16');
  assert.match(rules, /ip ttl 40 tcp flags & \(syn \| ack\) == syn counter ip saddr set numgen random mod 65536 offset 3323133952;/);
  assert.match(floodRuleset('t', 40, '198.18.5.7/24'), /mod 256 offset 3323069696;/);
  assert.match(floodRuleset('t', 41), /ip ttl 41 tcp flags & \(syn \| ack\) == syn counter; }/);
  assert.throws(() => floodRuleset('t', 41, '2001:db8::/64'), /must be IPv4/);
});

test('hping3 arguments are bounded, and the flood counter parses', () => {
  const args = hpingArgs('198.18.0.1', 80, floodBudget(2000, 1000, 10), 41);
  assert.deepEqual(args, ['-q', '-S', '-p', '80', '-i', 'u500', '-c', '1000', '--ttl', '41', '198.18.0.1']);
  assert.ok(!args.includes('--rand-source') && !args.includes('--flood'));
  assert.equal(parseSentCounter('table ip t {\n\tchain post {\n\t\tip ttl 41 tcp flags & (syn | ack) == syn counter packets 11074 bytes 443000\n\t}\n}'), 11074);
  assert.equal(parseSentCounter('table ip t {\n}'), null);
});
