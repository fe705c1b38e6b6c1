// The kernel's binary dump (inet_diag through `ss -tan -D -`) against /proc/net/tcp{,6}, on the same still table in a
// lab namespace: the same rows and keys; without TIME_WAIT, the same but TIME_WAIT, whose kernel count equals the rows
// /proc shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readDiagTable } from './diag-table.js';
import { readSocketTables } from './read-socket-table.js';
import { SocketTally } from './socket-tally.js';
import { readTimeWait } from './sockstat.js';
import { STATE } from './tcp-table.js';
import { MIXED, mixedTable } from '../testing/mixed-table.js';
import { FLOODS, needs } from '../testing/needs.js';
import { withNs } from '../testing/test-ns.js';
import { tallyView } from '../testing/tally-view.js';

test('the dump reads what /proc reads; without TIME_WAIT plus the sockstat count, the same', needs(FLOODS, () => withNs(async (ns) => {
  const table = await mixedTable(ns);
  try {
    const proc = new SocketTally();
    const procRead = readSocketTables(proc, [`/proc/${table.pid}/net/tcp`, `/proc/${table.pid}/net/tcp6`]);
    const whole = new SocketTally();
    assert.deepEqual(await readDiagTable(whole, { netns: ns }), procRead);
    assert.deepEqual(tallyView(whole), tallyView(proc));
    const ss = new SocketTally();
    const ssRead = await readDiagTable(ss, { netns: ns, excludeTimeWait: true });
    const timeWait = readTimeWait(`/proc/${table.pid}/net/sockstat`);
    assert.ok(ssRead !== null && timeWait !== null);
    ss.countTimeWait(timeWait);
    const sockets = 2 * (MIXED.established.v4 + MIXED.established.v6 + MIXED.established.mapped); // both ends
    assert.equal(proc.states[STATE.ESTABLISHED], sockets);
    assert.equal(proc.states[STATE.TIME_WAIT], MIXED.timeWait);
    assert.equal(proc.states[STATE.LISTEN], 4);
    assert.equal(proc.states[STATE.SYN_RECV], 8, 'four SYNs from each of two silent sources, each from its own port');
    assert.deepEqual({ ...ssRead, rows: ssRead.rows + timeWait }, procRead);
    assert.deepEqual(tallyView(ss), tallyView(proc, { timeWaitPerSource: false }));
  } finally {
    await table.stop();
  }
})));
