// Parsing victim TcpExt counters and their deltas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { counterDelta, parseTcpExt } from './counters.js';

test('parseTcpExt reads the TcpExt pair of lines only', () => {
  const text = 'TcpExt: SyncookiesSent SyncookiesRecv TCPReqQFullDrop\nTcpExt: 10 2 7\nIpExt: InNoRoutes\nIpExt: 5\n';
  assert.deepEqual(parseTcpExt(text), { SyncookiesSent: 10, SyncookiesRecv: 2, TCPReqQFullDrop: 7 });
  assert.deepEqual(parseTcpExt(''), {});
  assert.deepEqual(counterDelta({ a: 1, b: 5 }, { a: 4, b: 5 }), { a: 3, b: 0 });
});
