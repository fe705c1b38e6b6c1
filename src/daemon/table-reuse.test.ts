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

test('without the two counters (an odd kernel) the table is always walked', () => {
  const r = new TableReuse(10_000);
  r.walked(new SocketTally(), { CurrEstab: 1 }, T0);
  assert.equal(r.reusable({ CurrEstab: 1 }, T0 + 1), null);
  assert.equal(r.reusable(c(1, 1), T0 + 1), null);
});
