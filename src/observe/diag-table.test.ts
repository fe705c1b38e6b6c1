// The kernel's binary socket dump (ss -tan -D), parsed into the same rows as /proc/net/tcp{,6}: on one still table
// captured from a real kernel (test/fixtures/mixed-table: IPv4, IPv6, IPv4-mapped, dual-stack, SYN_RECV, 40 TIME_WAIT),
// with and without TIME_WAIT, fed whole and in every split; and on messages that are no socket or no dump.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endianness } from 'node:os';
import { fixtureBytes, fixtureText } from '../testing/fixtures.js';
import { tallyView } from '../testing/tally-view.js';
import { DiagTableParser, readDiagTable } from './diag-table.js';
import type { ExecStream } from '../core/exec.js';
import { SocketTally } from './socket-tally.js';
import { parseTimeWait } from './sockstat.js';
import { STATE, TcpTableParser, type RowSink } from './tcp-table.js';

const LE = endianness() === 'LE';

function procTally(): SocketTally {
  const tally = new SocketTally();
  const parser = new TcpTableParser(tally, LE);
  for (const file of ['tcp', 'tcp6']) {
    const bytes = fixtureBytes('mixed-table', file);
    parser.feed(bytes, bytes.length, true);
  }
  return tally;
}

/** Pushes bytes in pieces of `step`, as ss's output comes; returns the bytes left pending. */
function pushInSteps(parser: DiagTableParser, bytes: Buffer, step: number): number {
  for (let at = 0; at < bytes.length; at += step) parser.push(bytes.subarray(at, at + step));
  return parser.pending;
}

test('the captured dumps give the tally /proc gives: whole, and without TIME_WAIT plus the sockstat count', () => {
  const proc = procTally();
  assert.equal(proc.states[STATE.TIME_WAIT], 40);
  assert.equal(proc.states[STATE.SYN_RECV], 8);
  const whole = new SocketTally();
  const parser = new DiagTableParser(whole, LE);
  const dump = fixtureBytes('mixed-table', 'ss-diag');
  assert.equal(parser.feed(dump), dump.length);
  assert.deepEqual([parser.rows, parser.badLines, parser.dumps, parser.broken], [72, 0, 2, null], 'one dump per family');
  assert.deepEqual(tallyView(whole), tallyView(proc));

  const noTw = new SocketTally();
  const p2 = new DiagTableParser(noTw, LE);
  p2.feed(fixtureBytes('mixed-table', 'ss-diag-no-tw'));
  const timeWait = parseTimeWait(fixtureText('mixed-table', 'sockstat'));
  assert.equal(timeWait, 40);
  noTw.countTimeWait(timeWait ?? 0);
  assert.equal(p2.rows, 32);
  assert.deepEqual(tallyView(noTw), tallyView(proc, { timeWaitPerSource: false }));
});

test('a dump split anywhere parses the same: every piece size from 1 to 300 bytes', () => {
  const dump = fixtureBytes('mixed-table', 'ss-diag');
  const whole = new SocketTally();
  new DiagTableParser(whole, LE).feed(dump);
  for (let step = 1; step <= 300; step++) {
    const tally = new SocketTally();
    const parser = new DiagTableParser(tally, LE);
    assert.equal(pushInSteps(parser, dump, step), 0, `nothing left over in steps of ${step}`);
    assert.deepEqual([parser.rows, parser.badLines, parser.dumps], [72, 0, 2], `steps of ${step}`);
    assert.deepEqual(tallyView(tally), tallyView(whole));
  }
});

/** One sock_diag message as the kernel builds it (host-order header and queues, network-order ports and addresses). */
function message(family: number, state: number, local: string, localPort: number, remote: string, remotePort: number, rqueue: number, wqueue: number, type = 20): Buffer {
  const b = Buffer.alloc(16 + 72 + 8);
  const u32 = (v: number, p: number) => (LE ? b.writeUInt32LE(v, p) : b.writeUInt32BE(v, p));
  u32(b.length, 0);
  if (LE) b.writeUInt16LE(type, 4); else b.writeUInt16BE(type, 4);
  b[16] = family; b[17] = state;
  b.writeUInt16BE(localPort, 20); b.writeUInt16BE(remotePort, 22);
  Buffer.from(local, 'hex').copy(b, 24);
  Buffer.from(remote, 'hex').copy(b, 40);
  u32(rqueue, 72); u32(wqueue, 76);
  u32(0x000f0008, 88); // an attribute after the message (INET_DIAG_MARK, 8 bytes): skipped
  return b;
}
const done = (): Buffer => { const b = Buffer.alloc(20); if (LE) { b.writeUInt32LE(20, 0); b.writeUInt16LE(3, 4); } else { b.writeUInt32BE(20, 0); b.writeUInt16BE(3, 4); } return b; };

test("each address form becomes the key /proc gives it; a listener's wqueue (its backlog) is not a tx queue", () => {
  const rows: unknown[][] = [];
  const sink: RowSink = { row: (...args) => { rows.push(args); } };
  const dump = Buffer.concat([
    message(10, STATE.LISTEN, '0'.repeat(32), 8082, '0'.repeat(32), 0, 3, 511),
    message(10, STATE.ESTABLISHED, '00000000000000000000ffffc6120001', 8082, '00000000000000000000ffffc6120002', 40727, 7, 9),
    message(10, STATE.ESTABLISHED, '20010db8000000000000000000000001', 8081, '20010db8000000000000000000000002', 38007, 0, 0),
    message(2, STATE.LISTEN, '7f000035', 53, '00000000', 0, 0, 4096),
    message(2, 8, 'c6120001', 22, 'c6120002', 5000, 0, 0),
    done(),
  ]);
  const parser = new DiagTableParser(sink, LE);
  assert.equal(parser.feed(dump), dump.length);
  assert.deepEqual([parser.rows, parser.badLines, parser.dumps], [5, 0, 1]);
  assert.deepEqual(rows, [
    ['0'.repeat(32), 8082, '0'.repeat(32), 0, STATE.LISTEN, 0, 3],
    [(198 << 24) | (18 << 16) | 1, 8082, (198 << 24) | (18 << 16) | 2, 40727, STATE.ESTABLISHED, 9, 7],
    ['20010db8000000000000000000000001', 8081, '20010db8000000000000000000000002', 38007, STATE.ESTABLISHED, 0, 0],
    [(127 << 24) | 53, 53, 0, 0, STATE.LISTEN, 0, 0],
    [(198 << 24) | (18 << 16) | 1, 22, (198 << 24) | (18 << 16) | 2, 5000, 8, 0, 0],
  ]);
});

test('messages that are no socket are counted, never thrown; bytes that are no dump, or an error, break the read', () => {
  const tally = new SocketTally();
  const parser = new DiagTableParser(tally, LE);
  const short = message(2, 1, 'c6120001', 80, 'c6120002', 5000, 0, 0).subarray(0, 60);
  short.writeUInt32LE(60, 0);
  const bad = Buffer.concat([
    message(7, 1, 'c6120001', 80, 'c6120002', 5000, 0, 0), // no such family
    message(2, 0, 'c6120001', 80, 'c6120002', 5000, 0, 0), // no such state
    message(2, 13, 'c6120001', 80, 'c6120002', 5000, 0, 0),
    message(2, 1, 'c6120001', 80, 'c6120002', 5000, 0, 0, 99), // another message type
    short, // a header too short for a socket
  ]);
  assert.equal(parser.feed(bad), bad.length);
  assert.deepEqual([parser.rows, parser.badLines, parser.broken], [0, 5, null]);
  assert.equal(tally.states.reduce((a, b) => a + b, 0), 0);

  const text = new DiagTableParser(tally, LE); // ss fell back to /proc and printed lines
  const lines = Buffer.from('ESTAB 0 0 198.18.0.1:80 198.18.0.2:5000\n');
  assert.equal(text.feed(lines), lines.length);
  assert.match(text.broken ?? '', /netlink message of \d+ bytes/);
  const error = Buffer.concat([message(2, 1, 'c6120001', 80, 'c6120002', 5000, 0, 0), message(2, 1, 'c6120001', 80, 'c6120002', 5000, 0, 0, 2)]);
  const failed = new DiagTableParser(new SocketTally(), LE);
  failed.feed(error);
  assert.deepEqual([failed.rows, failed.broken], [1, 'the kernel answered the dump with an error']);
});

test('readDiagTable: null when ss fails, prints text or ends before a dump is done; a cut-off message is a bad line', async () => {
  const fake = (out: Buffer, ok = true): ExecStream => (_file, _args, onStdout) => {
    for (let at = 0; at < out.length; at += 50) onStdout(out.subarray(at, at + 50));
    return Promise.resolve({ command: 'ss', exitCode: ok ? 0 : 1, stdout: '', stderr: '', failed: !ok, timedOut: false });
  };
  const dump = fixtureBytes('mixed-table', 'ss-diag');
  assert.deepEqual(await readDiagTable(new SocketTally(), { exec: fake(dump) }), { rows: 72, badLines: 0 });
  assert.equal(await readDiagTable(new SocketTally(), { exec: fake(dump, false) }), null);
  assert.equal(await readDiagTable(new SocketTally(), { exec: fake(Buffer.from('State Recv-Q Send-Q\nESTAB 0 0 1.2.3.4:5 6.7.8.9:10\n')) }), null);
  assert.equal(await readDiagTable(new SocketTally(), { exec: fake(Buffer.alloc(0)) }), null, 'no dump at all');
  const cut = Buffer.concat([done(), message(2, 1, 'c6120001', 80, 'c6120002', 5000, 0, 0).subarray(0, 40)]);
  assert.deepEqual(await readDiagTable(new SocketTally(), { exec: fake(cut) }), { rows: 0, badLines: 1 });
  let args: readonly string[] = [];
  await readDiagTable(new SocketTally(), { excludeTimeWait: true, exec: (f, a, o, opts) => { args = a; return fake(dump)(f, a, o, opts); } });
  assert.deepEqual(args, ['-tan', '-D', '-', 'exclude', 'time-wait']);
});

test('sockstat: the TCP line\'s tw figure; none without one', () => {
  assert.equal(parseTimeWait('sockets: used 9\nTCP: inuse 22 orphan 2 tw 30840 alloc 44 mem 117\nUDP: inuse 0 mem 0\n'), 30840);
  assert.equal(parseTimeWait('sockets: used 9\nUDP: inuse 0 mem 0\n'), null);
  assert.equal(parseTimeWait('TCP6: inuse 0\n'), null);
});
