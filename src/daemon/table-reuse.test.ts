import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SocketTally } from '../observe/socket-tally.js';
import { T0 } from '../testing/clock.js';
import { TableReuse } from './table-reuse.js';

const c = (inSegs: number, outSegs: number) => ({ InSegs: inSegs, OutSegs: outSegs, CurrEstab: 0 });

test('the last walk is reused only while no segment moved and it is younger than the limit', () => {
  const r = new TableReuse(10_000);
  assert.equal(r.reusable(c(5, 5), T0), null, 'nothing walked yet');
  const tally = new SocketTally();
  r.walked(tally, c(5, 5), T0);
  assert.equal(r.reusable(c(5, 5), T0 + 1000), tally);
  assert.equal(r.reusable(c(6, 5), T0 + 1000), null, 'a segment in (a SYN)');
  assert.equal(r.reusable(c(5, 6), T0 + 1000), null, 'a segment out (a SYN-ACK retransmit)');
  assert.equal(r.reusable(c(5, 5), T0 + 10_000), null, 'too old');
  assert.equal(r.reusable(c(5, 5), T0 - 1), null, 'the clock went back');
});

test('without the two counters (an odd kernel) an idle table is always walked', () => {
  const r = new TableReuse(10_000);
  r.walked(new SocketTally(), { CurrEstab: 1 }, T0);
  assert.equal(r.reusable({ CurrEstab: 1 }, T0 + 1), null);
  assert.equal(r.reusable(c(1, 1), T0 + 1), null);
});

test('quiet: the last walk serves while no SYN-pressure counter rose and CurrEstab held, for at most quietMaxAgeMs', () => {
  const r = new TableReuse(10_000, 5_000, 25);
  const tally = new SocketTally();
  const busy = (segs: number, extra: Record<string, number> = {}) => ({ InSegs: segs, OutSegs: segs, CurrEstab: 20, ListenOverflows: 3, SyncookiesSent: 7, ...extra });
  r.walked(tally, busy(100), T0);
  assert.equal(r.reusable(busy(9000), T0 + 1000), null, 'segments moved and the defender has not said quiet');
  assert.equal(r.reusable(busy(9000), T0 + 1000, 'quiet'), tally, 'quiet: connections come and go, nothing presses');
  assert.equal(r.reusable(busy(9000, { CurrEstab: 44 }), T0 + 1000, 'quiet'), tally, 'the established gauge within the margin');
  assert.equal(r.reusable(busy(9000, { CurrEstab: 45 }), T0 + 1000, 'quiet'), null, 'connections pile up (a connection flood)');
  assert.equal(r.reusable(busy(9000, { ListenOverflows: 4 }), T0 + 1000, 'quiet'), null, 'an accept queue overflowed');
  assert.equal(r.reusable(busy(9000, { SyncookiesSent: 8 }), T0 + 1000, 'quiet'), null, 'a SYN queue filled: cookies');
  assert.equal(r.reusable(busy(9000, { TCPReqQFullDrop: 1 }), T0 + 1000, 'quiet'), null, 'a SYN queue filled: drops');
  assert.equal(r.reusable(busy(9000), T0 + 5_000, 'quiet'), null, 'walked at least every quietMaxAgeMs');
  assert.equal(r.reusable({ InSegs: 9000, OutSegs: 9000 }, T0 + 1000, 'quiet'), null, 'no CurrEstab: walk');
  assert.equal(r.reusable(busy(9000), T0 + 1000, null), null, 'not quiet any more: every tick walks');
});

test('a steady flood: cookies sent do not count, a SYN dropped, a cookie failing or an accept queue overflowing does', () => {
  const r = new TableReuse(10_000, 5_000, 25);
  const tally = new SocketTally();
  const flood = (segs: number, extra: Record<string, number> = {}) => ({ InSegs: segs, OutSegs: segs, CurrEstab: 20, SyncookiesSent: segs, TCPReqQFullDoCookies: segs, ...extra });
  r.walked(tally, flood(100), T0);
  assert.ok(r.reusable(flood(3100), T0 + 1000, 'quiet') === null, 'quiet: cookies are SYN pressure');
  assert.ok(r.reusable(flood(3100), T0 + 1000, 'steady-flood') === tally, 'steady: 3,000 cookies a second are the flood itself');
  assert.ok(r.reusable(flood(3100, { TCPReqQFullDrop: 1 }), T0 + 1000, 'steady-flood') === null, 'a SYN dropped (cookies off, or failing to keep up)');
  assert.ok(r.reusable(flood(3100, { SyncookiesFailed: 1 }), T0 + 1000, 'steady-flood') === null, 'an ACK with a bad cookie');
  assert.ok(r.reusable(flood(3100, { ListenOverflows: 1 }), T0 + 1000, 'steady-flood') === null, 'an accept queue overflowed');
  assert.ok(r.reusable(flood(3100, { ListenDrops: 1 }), T0 + 1000, 'steady-flood') === null, 'a listener dropped');
  assert.ok(r.reusable(flood(3100, { CurrEstab: 45 }), T0 + 1000, 'steady-flood') === null, 'handshakes completed in numbers: a connection flood inside');
  assert.ok(r.reusable(flood(3100), T0 + 5_000, 'steady-flood') === null, 'walked at least every quietMaxAgeMs');
});

// assert.ok, not equal: a failing equal would print two 3 MB tallies
test('costly: a walk that cost c ms of CPU is not repeated within c / costShare ms, nor later than costMaxAgeMs', () => {
  const r = new TableReuse(10_000, 5_000, 25, 0.1, 5_000);
  const tally = new SocketTally();
  const moving = (segs: number) => ({ InSegs: segs, OutSegs: segs, CurrEstab: 20, SyncookiesSent: segs });
  r.walked(tally, moving(100), T0, 5); // a cheap walk: 5 ms
  assert.ok(r.reusable(moving(200), T0 + 49) === tally, 'within 50 ms of a 5 ms walk');
  assert.ok(r.reusable(moving(200), T0 + 1000) === null, 'under attack, not quiet: a cheap walk is done every tick');
  r.walked(tally, moving(100), T0, 300); // ~27,000 TIME_WAIT rows under load
  assert.ok(r.reusable(moving(900), T0 + 1000) === tally, 'under attack too: 300 ms of CPU is not spent again after 1 s');
  assert.ok(r.reusable(moving(900), T0 + 2999) === tally);
  assert.ok(r.reusable(moving(900), T0 + 3000) === null, 'after 3 s it is: at most a tenth of a core');
  r.walked(tally, moving(100), T0, 2400); // a million rows
  assert.ok(r.reusable(moving(900), T0 + 4999) === tally);
  assert.ok(r.reusable(moving(900), T0 + 5000) === null, 'never older than costMaxAgeMs');
  // a connection flood beginning: CurrEstab up by estMargin (25) since the walk; only a walk can name its source
  r.walked(tally, moving(100), T0, 300);
  assert.ok(r.reusable({ ...moving(900), CurrEstab: 44 }, T0 + 200) === tally, 'up by 24: the walk serves');
  assert.ok(r.reusable({ ...moving(900), CurrEstab: 45 }, T0 + 200) === null, 'up by 25: walked at once, costly or not');
});

test('the plan: /proc first and for small tables, the dump from dumpMin rows, without TIME_WAIT when they are over twMin and twRatio times the rest', () => {
  const r = new TableReuse(10_000, 5_000);
  assert.equal(r.plan(50_000), 'proc', 'no walk yet: /proc first');
  const tally = new SocketTally();
  for (let i = 0; i < 1000; i++) tally.row(0, 80, i + 1, 40_000, 1, 0, 0); // 1,000 ESTABLISHED
  tally.countTimeWait(90_000); // the last walk's own TIME_WAIT do not count as others
  r.walked(tally, {}, T0);
  assert.equal(r.plan(2_999), 'dump', 'under 3x the others; 91,000 rows last time');
  assert.equal(r.plan(3_000), 'dump-without-time-wait');
  assert.equal(r.plan(null), 'dump', 'no count: the dump with them');
  const few = new SocketTally();
  few.row(0, 80, 1, 40_000, 1, 0, 0);
  r.walked(few, {}, T0);
  assert.equal(r.plan(1_999), 'proc', 'under twMin, one row last time');
  assert.equal(r.plan(2_000), 'dump-without-time-wait');
  const edge = new SocketTally();
  for (let i = 0; i < 1999; i++) edge.row(0, 80, i + 1, 40_000, 3, 0, 0);
  r.walked(edge, {}, T0);
  assert.equal(r.plan(0), 'proc', '1,999 rows');
  edge.row(0, 80, 5000, 40_000, 3, 0, 0);
  assert.equal(r.plan(0), 'dump', '2,000 rows');
});
