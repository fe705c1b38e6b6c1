import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCounterPairs, pickWatched } from './counters.js';
import { parseSysctlValue, readSysctls } from './sysctls.js';
import { parseNetDev } from './netdev.js';
import { parseSsListeners, readListeners } from './listeners.js';
import { fixtureText } from '../testing/fixtures.js';
import type { Exec } from '../core/exec.js';

test('counters: netstat and snmp pairs parse, and the flood shows in the cookie counters', () => {
  const before = pickWatched(parseCounterPairs(fixtureText('spoofed-v4-cookies', 'netstat.0') + fixtureText('spoofed-v4-cookies', 'snmp.0')).values);
  const after = pickWatched(parseCounterPairs(fixtureText('spoofed-v4-cookies', 'netstat.1') + fixtureText('spoofed-v4-cookies', 'snmp.1')).values);
  for (const name of ['SyncookiesSent', 'SyncookiesRecv', 'TCPReqQFullDoCookies', 'ListenDrops', 'PassiveOpens', 'CurrEstab', 'OutRsts']) {
    assert.equal(typeof after[name], 'number', name);
  }
  const sent = (after['SyncookiesSent'] ?? 0) - (before['SyncookiesSent'] ?? 0);
  assert.ok(sent > 1000, `cookies sent in one second: ${sent}`);
  assert.equal((after['SyncookiesRecv'] ?? 0) - (before['SyncookiesRecv'] ?? 0), 0, 'spoofed sources never return a cookie');
});

test('counters: a mismatched pair is counted as bad, the rest still parse', () => {
  const r = parseCounterPairs('Tcp: A B\nTcp: 1 2\nIp: X Y\nIp: 1\nUdp: C\nUdp: 5\n');
  assert.equal(r.values.get('Tcp.B'), 2);
  assert.equal(r.values.get('Udp.C'), 5);
  assert.equal(r.badLines, 2);
});

test('sysctls: captured values and unreadable ones', () => {
  const captured: Record<string, string> = Object.fromEntries(fixtureText('concentrated-v4', 'sysctls').trim().split('\n').map((l) => l.split(' = ') as [string, string]));
  const values = readSysctls((path) => {
    const name = path.replace('/proc/sys/', '').replaceAll('/', '.');
    if (name === 'net.ipv4.conf.all.rp_filter') throw new Error('EACCES');
    return `${captured[name] ?? ''}\n`;
  });
  assert.equal(values['net.ipv4.tcp_syncookies'], 1);
  assert.equal(values['net.core.somaxconn'], 262144);
  assert.equal(values['net.ipv4.conf.all.rp_filter'], null);
  assert.equal(parseSysctlValue('4096\t'), 4096);
  assert.equal(parseSysctlValue('4096 8192'), null);
});

test('netdev: per-interface counters', () => {
  const { links, badLines } = parseNetDev(fixtureText('spoofed-v4-cookies', 'dev.1'));
  assert.equal(badLines, 0);
  assert.ok((links['eth0']?.rxPackets ?? 0) > 10_000);
  assert.equal(links['lo']?.rxBytes, links['lo']?.txBytes);
});

test('listeners: ss output with wildcard, dual-stack, v6-only, scoped and loopback sockets', () => {
  const text = `${fixtureText('idle', 'ss-ltn')}LISTEN 0      7           [::]:22    [::]:*\nLISTEN 3 4096 127.0.0.53%lo:53 0.0.0.0:*\nLISTEN 0 5 [::1]:24 [::]:*\nnonsense\n`;
  const { listeners, badLines } = parseSsListeners(text);
  assert.equal(badLines, 1);
  assert.deepEqual(listeners.find((l) => l.port === 443), { address: '::', port: 443, dualStack: true, backlog: 1024, acceptQueue: 0 });
  assert.deepEqual(listeners.find((l) => l.port === 22), { address: '::', port: 22, dualStack: false, backlog: 7, acceptQueue: 0 });
  assert.deepEqual(listeners.find((l) => l.port === 53), { address: '127.0.0.53', port: 53, dualStack: false, backlog: 4096, acceptQueue: 3 });
  assert.equal(listeners.find((l) => l.port === 81)?.backlog, 262144);
});

test('listeners: `ss -tnH state listening` (no state column) reads as `ss -ltnH` did, on the same three sockets', () => {
  const listening = parseSsListeners(fixtureText('idle', 'ss-listening'));
  assert.equal(listening.badLines, 0);
  assert.equal(listening.listeners.length, 3);
  assert.deepEqual(listening, parseSsListeners(fixtureText('idle', 'ss-ltn')));
  assert.equal(parseSsListeners('ESTAB 0 0 198.18.0.1:80 198.18.0.2:40000\n').badLines, 1); // another state's row
});

test('listeners: ss runs with the state filter alone, and a missing ss is reported, not thrown', async () => {
  let asked: readonly string[] = [];
  const ran: Exec = (_file, args) => { asked = args; return Promise.resolve({ command: 'ss', exitCode: 0, stdout: fixtureText('idle', 'ss-listening'), stderr: '', failed: false, timedOut: false }); };
  assert.equal((await readListeners(ran)).ok, true);
  assert.deepEqual(asked, ['-tnH', 'state', 'listening']); // not -l: that walks every socket (listeners.ts)
  const missing: Exec = () => Promise.resolve({ command: 'ss', exitCode: null, stdout: '', stderr: '', failed: true, timedOut: false, spawnError: 'ENOENT' });
  assert.deepEqual(await readListeners(missing), { ok: false, error: 'ss not found: install iproute2 to see backlogs' });
});

test('listeners are read at most once per maxAge in the daemon', async () => {
  const { cachedListeners } = await import('./sample.js');
  let clock = 0, reads = 0;
  const read = () => { reads++; return Promise.resolve({ ok: true as const, listeners: [], badLines: reads }); };
  const get = cachedListeners(10_000, () => clock, read);
  await get(); clock = 9_999; await get();
  assert.equal(reads, 1);
  clock = 10_000;
  assert.deepEqual(await get(), { ok: true, listeners: [], badLines: 2 });
});
