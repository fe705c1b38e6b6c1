import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TcpTableParser, TCP_STATES, type AddrKey } from './tcp-table.js';
import { SocketTally } from './socket-tally.js';
import { CAPTURES, fixtureBytes, fixtureExpect } from '../testing/fixtures.js';
import { formatV4, formatV6 } from '../core/address.js';
import { readSocketTables } from './read-socket-table.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../testing/temp.js';

function tally(...buffers: Buffer[]): { t: SocketTally; p: TcpTableParser } {
  const t = new SocketTally();
  const p = new TcpTableParser(t, true);
  for (const b of buffers) p.feed(b, b.length, true);
  return { t, p };
}

const text = (k: AddrKey): string => (typeof k === 'number' ? formatV4(k) : formatV6(k));

for (const capture of CAPTURES) {
  test(`${capture}: state counts and SYN_RECV sources match awk over the same capture`, () => {
    const { t, p } = tally(fixtureBytes(capture, 'tcp'), fixtureBytes(capture, 'tcp6'));
    const expected = fixtureExpect(capture);
    assert.equal(p.badLines, 0);
    assert.equal(p.rows, expected.lines - 2); // two header lines
    for (const [code, count] of expected.states) {
      assert.equal(t.states[parseInt(code, 16)], count, `state ${code}`);
    }
    const synSources = [...t.sources()].map(([, c]) => c).filter((c) => (c[3] ?? 0) > 0).length;
    // awk sees ::ffff:a.b.c.d and a.b.c.d as different strings; none of these captures has both forms in SYN_RECV
    assert.equal(synSources, expected.synRecvSources);
  });
}

test('the large capture has tens of thousands of rows', () => {
  const { p } = tally(fixtureBytes('spoofed-v4-nocookies', 'tcp'));
  assert.ok(p.rows > 20_000, `${p.rows} rows`);
});

test('addresses decode to network order, and IPv4-mapped peers become IPv4', () => {
  const { t } = tally(fixtureBytes('connection-flood', 'tcp'), fixtureBytes('connection-flood', 'tcp6'));
  const sources = new Map([...t.sources()].map(([k, v]) => [text(k), v]));
  assert.equal(sources.get('198.18.0.2')?.[1], 300, 'the 300 connections over the dual-stack listener');
  assert.ok((sources.get('2001:db8::2')?.[1] ?? 0) >= 100);
  assert.ok(![...sources.keys()].some((a) => a.startsWith('::ffff:')));
  const listen = t.listening.map((l) => `${text(l.local)}:${l.port}`).sort();
  assert.deepEqual(listen, ['0.0.0.0:80', '0.0.0.0:81', ':::443']);
});

test('an ESTABLISHED row the kernel printed twice counts once (the table is read a page at a time)', () => {
  // seen in the lab: while wrk's Connection: close load churned sockets, one read of /proc/net/tcp printed 59 rows
  // twice, and an address holding 25 connections showed 51
  const tcp = fixtureBytes('connection-flood', 'tcp6').toString();
  const lines = tcp.split('\n');
  const established = lines.filter((l) => / 01 [0-9A-F]{8}:/.test(l));
  assert.ok(established.length >= 50, `${established.length} ESTABLISHED rows`);
  const twice = Buffer.from([...lines.filter(Boolean), ...established.slice(0, 50)].join('\n') + '\n');
  const once = tally(Buffer.from(tcp)).t, again = tally(twice).t;
  assert.equal(again.states[1], once.states[1]);
  assert.deepEqual(again.sources(), once.sources());
});

test('SYN_RECV rows are counted per local endpoint', () => {
  const { t } = tally(fixtureBytes('concentrated-v4', 'tcp'), fixtureBytes('concentrated-v4', 'tcp6'));
  const port80 = t.synRecvByPort.get(80);
  assert.equal(port80?.get(0xc6120001 | 0), 129); // 198.18.0.1, backlog 128 + 1
  const halfOpen = [...t.sources()].filter(([, c]) => (c[3] ?? 0) > 0);
  assert.equal(halfOpen.length, 1);
  assert.equal(text(halfOpen[0]![0]), '198.18.0.2');
  assert.equal(halfOpen[0]![1][3], 129);
});

test('any chunking gives the same result as one buffer', () => {
  const whole = fixtureBytes('syn-v6', 'tcp6');
  const { t: expected } = tally(whole);
  const t = new SocketTally();
  const p = new TcpTableParser(t, true);
  const buf = Buffer.alloc(whole.length);
  let kept = 0;
  for (let off = 0; off < whole.length; ) {
    const n = Math.min(1 + ((off * 7919) % 613), whole.length - off);
    whole.copy(buf, kept, off, off + n);
    off += n;
    const used = p.feed(buf, kept + n, off === whole.length);
    buf.copy(buf, 0, used, kept + n);
    kept = kept + n - used;
  }
  assert.deepEqual([...t.states], [...expected.states]);
  assert.deepEqual([...t.sources()].map(([k]) => k).sort(), [...expected.sources()].map(([k]) => k).sort());
});

test('lines that do not parse are skipped and counted, never thrown', () => {
  const lines = [
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
    '   0: 0100007F:0050 0200007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 1 1 0 20 4 30 10 -1',
    '   1: 0100007F:0050 0200007F:D431 1Z 00000000:00000000 00:00000000 00000000     0        0 1 1 0 20 4 30 10 -1',
    'garbage',
    '   2: 0100007F:005',
    '   3: 0100007F0050 0200007F:D431 01 00000000:00000000',
    '',
    '   4: 0100007F:0050 0300007F:D432 03 00000000:00000000 00:00000000 00000000     0        0 0 0',
  ];
  const { t, p } = tally(Buffer.from(lines.join('\n')));
  assert.equal(p.rows, 2);
  assert.equal(p.badLines, 4);
  assert.equal(t.states[1], 1);
  assert.equal(t.states[3], 1);
  assert.equal(TCP_STATES[3], 'SYN_RECV');
});

test('the reader gives the same tally with any chunk size, lines longer than a chunk included', () => {
  const dir = tempDir('sg-read-');
  const files = ['tcp', 'tcp6'].map((f) => {
    const path = join(dir, f);
    writeFileSync(path, fixtureBytes('syn-v6', f));
    return path;
  });
  const { t: expected, p } = tally(fixtureBytes('syn-v6', 'tcp'), fixtureBytes('syn-v6', 'tcp6'));
  for (const chunk of [64, 150, 4096, 1 << 20]) {
    const t = new SocketTally();
    const r = readSocketTables(t, files, chunk);
    assert.equal(r.rows, p.rows, `chunk ${chunk}`);
    assert.deepEqual([...t.states], [...expected.states]);
    assert.deepEqual(t.sources().map(([k]) => k).sort(), expected.sources().map(([k]) => k).sort());
  }
  assert.throws(() => readSocketTables(new SocketTally(), [join(dir, 'missing')]), /does not exist/);
  // a missing second table (IPv6 disabled) is skipped, not an error
  const v4only = tally(fixtureBytes('syn-v6', 'tcp')).p.rows;
  assert.equal(readSocketTables(new SocketTally(), [files[0]!, join(dir, 'missing6')]).rows, v4only);
});
