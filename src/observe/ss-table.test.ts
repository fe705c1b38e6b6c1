// ss's table without TIME_WAIT, parsed into the same rows as /proc/net/tcp{,6}: on one still table captured from a real
// kernel (test/fixtures/mixed-table: IPv4, IPv6, IPv4-mapped, dual-stack, SYN_RECV, 40 TIME_WAIT), and on bad lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endianness } from 'node:os';
import { fixtureBytes, fixtureText } from '../testing/fixtures.js';
import { tallyView } from '../testing/tally-view.js';
import { SocketTally } from './socket-tally.js';
import { parseTimeWait } from './sockstat.js';
import { parseSsTable } from './ss-table.js';
import { STATE, TcpTableParser, type RowSink } from './tcp-table.js';

function procTally(): SocketTally {
  const tally = new SocketTally();
  const parser = new TcpTableParser(tally, endianness() === 'LE');
  for (const file of ['tcp', 'tcp6']) {
    const bytes = fixtureBytes('mixed-table', file);
    parser.feed(bytes, bytes.length, true);
  }
  return tally;
}

test('the captured table: ss rows plus the sockstat count give the tally /proc gives, TIME_WAIT per source aside', () => {
  const proc = procTally();
  const ss = new SocketTally();
  const read = parseSsTable(fixtureText('mixed-table', 'ss-tan-no-tw'), ss);
  const timeWait = parseTimeWait(fixtureText('mixed-table', 'sockstat'));
  assert.equal(timeWait, 40);
  ss.countTimeWait(timeWait ?? 0);
  assert.deepEqual(read, { rows: 32, badLines: 0 });
  assert.equal(proc.states[STATE.TIME_WAIT], 40);
  assert.equal(proc.states[STATE.SYN_RECV], 8);
  assert.deepEqual(tallyView(ss), tallyView(proc, { timeWaitPerSource: false }));
});

test('each address form becomes the key /proc gives it; a listener\'s Send-Q (its backlog) is not a tx queue', () => {
  const rows: unknown[][] = [];
  const sink: RowSink = { row: (...args) => { rows.push(args); } };
  const text = [
    'LISTEN 3 511 *:8082 *:*',
    'ESTAB 7 9 [::ffff:198.18.0.1]:8082 [::ffff:198.18.0.2]:40727',
    'ESTAB 0 0 [2001:db8::1]:8081 [2001:db8::2]:38007',
    'LISTEN 0 4096 127.0.0.53%lo:53 0.0.0.0:*',
    'CLOSE-WAIT 0 0 [fe80::1%d0]:22 [fe80::2]:5000',
  ].join('\n');
  assert.deepEqual(parseSsTable(text, sink), { rows: 5, badLines: 0 });
  assert.deepEqual(rows, [
    ['0'.repeat(32), 8082, '0'.repeat(32), 0, STATE.LISTEN, 0, 3],
    [(198 << 24) | (18 << 16) | 1, 8082, (198 << 24) | (18 << 16) | 2, 40727, STATE.ESTABLISHED, 9, 7],
    ['20010db8000000000000000000000001', 8081, '20010db8000000000000000000000002', 38007, STATE.ESTABLISHED, 0, 0],
    [(127 << 24) | (53), 53, 0, 0, STATE.LISTEN, 0, 0],
    ['fe800000000000000000000000000001', 22, 'fe800000000000000000000000000002', 5000, 8, 0, 0],
  ]);
});

test('bad lines are counted, never thrown, and give no row', () => {
  const tally = new SocketTally();
  const bad = [
    'State Recv-Q Send-Q Local Address:Port Peer Address:Port', // a header (ss without -H)
    'WEIRD 0 0 198.18.0.1:80 198.18.0.2:5000',
    'ESTAB 0 0 198.18.0.1 198.18.0.2:5000',
    'ESTAB 0 0 198.18.0.1:80 198.18.0.2:70000',
    'ESTAB x 0 198.18.0.1:80 198.18.0.2:5000',
    'ESTAB 0 0 198.18.0.300:80 198.18.0.2:5000',
    'ESTAB 0 0 [2001:db8::zz]:80 198.18.0.2:5000',
  ];
  assert.deepEqual(parseSsTable(`${bad.join('\n')}\n\n`, tally), { rows: 0, badLines: bad.length });
  assert.equal(tally.states.reduce((a, b) => a + b, 0), 0);
});

test('sockstat: the TCP line\'s tw figure; none without one', () => {
  assert.equal(parseTimeWait('sockets: used 9\nTCP: inuse 22 orphan 2 tw 30840 alloc 44 mem 117\nUDP: inuse 0 mem 0\n'), 30840);
  assert.equal(parseTimeWait('sockets: used 9\nUDP: inuse 0 mem 0\n'), null);
  assert.equal(parseTimeWait('TCP6: inuse 0\n'), null);
});
