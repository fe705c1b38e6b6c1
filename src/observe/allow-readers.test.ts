// Allow-list readers on captured `ip -j` outputs (this machine, a lab namespace) and socket tables; fake exec for the readers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Exec, ExecResult } from '../core/exec.js';
import { fixturePath, fixtureText } from '../testing/fixtures.js';
import { parseOwnAddresses, readOwnAddresses } from './addresses.js';
import { gatherAllowInputs } from './allow-inputs.js';
import { parseGateways, readGateways } from './routes.js';
import { readSocketTables } from './read-socket-table.js';
import { SocketTally } from './socket-tally.js';
import { readSshPeers } from './ssh-peers.js';

const ip = (file: string): string => fixtureText('ip', file);

function fakeExec(outputs: Record<string, string | null>): { exec: Exec; calls: string[][] } {
  const calls: string[][] = [];
  const exec: Exec = (file, args) => {
    calls.push([file, ...args]);
    const out = outputs[args.join(' ')];
    const result: ExecResult = out === null || out === undefined
      ? { command: file, exitCode: null, stdout: '', stderr: '', failed: true, timedOut: false, spawnError: 'ENOENT' }
      : { command: file, exitCode: 0, stdout: out, stderr: '', failed: false, timedOut: false };
    return Promise.resolve(result);
  };
  return { exec, calls };
}

test('own addresses: this machine and a lab namespace; ::ffff:0.0.0.0 and link-local handled', () => {
  const host = parseOwnAddresses(ip('host-addr.json'));
  assert.ok(host.includes('127.0.0.1') && host.includes('::1') && host.includes('192.0.2.2'), host.join(' '));
  const lab = parseOwnAddresses(ip('lab-addr.json'));
  assert.ok(lab.includes('198.51.100.2') && lab.includes('203.0.113.10') && lab.includes('2001:db8:2::2'));
  assert.ok(lab.some((a) => a.startsWith('fe80::')), 'link-local addresses are own addresses too');
  assert.ok(!lab.includes('0.0.0.0') && !lab.includes('::ffff:0.0.0.0'), 'the unspecified address is not ours');
  assert.deepEqual(parseOwnAddresses(''), []);
  assert.throws(() => parseOwnAddresses('Object "addr" is unknown'), /ip -j addr printed something other than a JSON array/);
});

test('gateways: single path, multipath nexthops, several IPv6 defaults, none at all', () => {
  assert.deepEqual(parseGateways(ip('host-route4.json')), ['192.0.2.1']);
  assert.deepEqual(parseGateways(ip('host-route6.json')), ['fd00::1']);
  assert.deepEqual(parseGateways(ip('lab-route4.json')), ['198.51.100.1', '203.0.113.1']);
  assert.deepEqual(parseGateways(ip('lab-route6.json')), ['2001:db8:1::1', 'fe80::1']);
  assert.deepEqual(parseGateways(ip('lab-noroute4.json')), []);
  assert.deepEqual(parseGateways('[{"dst":"default","via":{"family":"inet6","host":"fe80::1"},"dev":"eth0"}]'), ['fe80::1']);
});

test('readers spawn ip with argument arrays, in a namespace when asked', async () => {
  const { exec, calls } = fakeExec({
    'netns exec ns1 ip -j addr': ip('lab-addr.json'),
    'netns exec ns1 ip -j route show default': ip('lab-route4.json'),
    'netns exec ns1 ip -6 -j route show default': ip('lab-route6.json'),
  });
  // The real exec wraps netns itself; the fake sees what the reader asked for, so emulate the wrapping here.
  const wrapped: Exec = (file, args, options) => exec(options?.netns ? 'ip' : file, options?.netns ? ['netns', 'exec', options.netns, file, ...args] : args);
  assert.ok((await readOwnAddresses({ exec: wrapped, netns: 'ns1' })).includes('198.51.100.2'));
  assert.deepEqual(await readGateways({ exec: wrapped, netns: 'ns1' }), ['198.51.100.1', '203.0.113.1', '2001:db8:1::1', 'fe80::1']);
  assert.deepEqual(calls[1], ['ip', 'netns', 'exec', 'ns1', 'ip', '-j', 'route', 'show', 'default']);
});

test('SSH peers: ESTABLISHED sockets on the sshd ports only; IPv4-mapped peers become IPv4', async () => {
  const tcp = fixturePath('connection-flood', 'tcp');
  assert.deepEqual(await readSshPeers([80], [tcp]), ['198.18.0.3']);
  assert.deepEqual(await readSshPeers([22], [tcp]), []);
  const dir = mkdtempSync(join(tmpdir(), 'synguard-ssh-'));
  try {
    const tcp6 = join(dir, 'tcp6');
    const row = (n: number, remote: string, state: string) =>
      `  ${n}: 00000000000000000000000000000000:0016 ${remote}:D431 ${state} 00000000:00000000 00:00000000 00000000     0        0 1 1 0 20 4 30 10 -1`;
    writeFileSync(tcp6, ['  sl  local_address remote_address st', row(0, '0000000000000000FFFF00000100007F', '01'),
      row(1, 'B80D0120000000000000000005000000', '01'), row(2, 'B80D0120000000000000000009000000', '03')].join('\n') + '\n');
    assert.deepEqual(await readSshPeers([22], [tcp6]), ['127.0.0.1', '2001:db8::5']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('gathering the inputs: a missing ip becomes a warning, not a failure', async () => {
  const { exec } = fakeExec({ '-j addr': null });
  const inputs = await gatherAllowInputs({ sshPorts: [80], exec, tcpPaths: [fixturePath('connection-flood', 'tcp')] });
  assert.deepEqual(inputs.own, []);
  assert.deepEqual(inputs.sshPeers, ['198.18.0.3']);
  assert.equal(inputs.warnings.length, 2);
  assert.match(inputs.warnings[0] ?? '', /cannot read this host's addresses: ip is not installed/);
});

test("SSH peers from the daemon's own walk: a tally made with SSH ports sees them; given, they spare a walk of their own", async () => {
  const tcp = fixturePath('connection-flood', 'tcp');
  const tally = new SocketTally(1024, [80]);
  readSocketTables(tally, [tcp]);
  assert.deepEqual(tally.sshPeers(), await readSshPeers([80], [tcp]));
  assert.deepEqual(tally.sshPeers(), ['198.18.0.3']);
  assert.equal(new SocketTally().sshPeers(), null, 'no SSH ports: nothing collected');
  const { exec } = fakeExec({});
  const absent = [join(tmpdir(), 'synguard-no-such-table')];
  const walked = await gatherAllowInputs({ sshPorts: [80], exec, tcpPaths: absent, sshPeers: () => ['198.18.0.3'] });
  assert.deepEqual(walked.sshPeers, ['198.18.0.3']);
  assert.ok(!walked.warnings.some((w) => w.includes('SSH')), `the table was not read: ${walked.warnings.join('; ')}`);
  const notYet = await gatherAllowInputs({ sshPorts: [80], exec, tcpPaths: absent, sshPeers: () => null });
  assert.ok(notYet.warnings.some((w) => w.includes('cannot read the SSH sessions')), 'no walk yet: the table is read');
});

test('the real readers on this machine (read only)', async () => {
  assert.ok((await readOwnAddresses()).includes('127.0.0.1'));
  assert.ok(Array.isArray(await readGateways()));
  assert.ok(Array.isArray(await readSshPeers([22])));
});
