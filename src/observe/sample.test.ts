// takeSample and the daemon's table memory: the defender's word reaches it, and a tally it gives back is used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { takeSample, type TableMemory, type TablePlan, type TableWord } from './sample.js';
import { SocketTally } from './socket-tally.js';
import { STATE } from './tcp-table.js';
import { T0 } from '../testing/clock.js';
import { spendCpuInChild } from '../testing/cpu-child.js';

test('takeSample passes the defender\'s word to the table memory and uses the walk it gives back', async () => {
  const kept = new SocketTally();
  const asked: TableWord[] = [];
  let walks = 0;
  const costs: number[] = [];
  const table: TableMemory = {
    reusable: (_counters, _now, word) => { asked.push(word); return word === null ? null : kept; },
    walked: (_tally, _counters, _now, costMs) => { walks++; costs.push(costMs); },
    plan: () => 'proc',
  };
  const listeners = () => Promise.resolve({ ok: true as const, listeners: [], badLines: 0 });
  const steady = await takeSample({ table, word: 'steady-flood', listeners, now: () => T0 });
  assert.equal(steady.tally, kept, 'the kept walk, no new one');
  assert.equal(walks, 0);
  const loud = await takeSample({ table, listeners, now: () => T0 });
  assert.notEqual(loud.tally, kept, 'no word: the table is walked');
  assert.equal(walks, 1);
  assert.ok(costs.length === 1 && Number.isFinite(costs[0]) && (costs[0] ?? -1) >= 0, `the walk's CPU cost is handed over: ${String(costs)}`);
  assert.deepEqual(asked, ['steady-flood', null]);
});

test('the walk, as the table memory plans it: /proc, the dump, or the dump without TIME_WAIT (their count from the kernel); /proc into a fresh tally when ss fails', async () => {
  const listeners = () => Promise.resolve({ ok: true as const, listeners: [], badLines: 0 });
  const asked: Array<number | null> = [];
  let next: TablePlan = 'proc';
  const table: TableMemory = { reusable: () => null, walked: () => undefined, plan: (tw) => { asked.push(tw); return next; } };
  const dumps: boolean[] = [];
  const readers = (timeWait: number | null, ssWorks: boolean) => ({
    timeWait: () => timeWait,
    diag: (sink: SocketTally, excludeTimeWait: boolean) => {
      dumps.push(excludeTimeWait);
      // the dump's rows come before its failure: a walk that then fails must not leave them counted
      for (let i = 0; i < 5; i++) sink.row(0x7f000001, 22, 0x7f000002, 40_000 + i, STATE.ESTABLISHED, 0, 0);
      return Promise.resolve(ssWorks ? { rows: 5, badLines: 0 } : null);
    },
  });
  await takeSample({ table, listeners, now: () => T0, readers: readers(30_000, true) });
  assert.equal(dumps.length, 0, "'proc': no dump");
  next = 'dump-without-time-wait';
  const skipped = await takeSample({ table, listeners, now: () => T0, readers: readers(30_000, true) });
  assert.equal(skipped.tally.states[STATE.TIME_WAIT], 30_000, "the kernel's count");
  assert.equal(skipped.tally.states[STATE.ESTABLISHED], 5, "the dump's rows");
  next = 'dump';
  const whole = await takeSample({ table, listeners, now: () => T0, readers: readers(10, true) });
  assert.equal(whole.tally.states[STATE.TIME_WAIT], 0, "'dump': TIME_WAIT are in the dump, not added");
  next = 'dump-without-time-wait';
  const failed = await takeSample({ table, listeners, now: () => T0, readers: readers(7_777_777, false) });
  assert.ok((failed.tally.states[STATE.TIME_WAIT] ?? 0) < 7_777_777, 'ss failed: /proc walked, the count not added');
  assert.equal(failed.tally.sources().some(([key]) => key === 0x7f000002), false, "ss failed: the dump's rows are not in the tally /proc filled");
  const status = await takeSample({ listeners, now: () => T0, readers: readers(30_000, true) });
  assert.equal(status.tally.states[STATE.ESTABLISHED], 5, 'no table memory (status): the whole dump');
  assert.deepEqual(dumps, [true, false, true, false]);
  assert.deepEqual(asked, [30_000, 30_000, 10, 7_777_777], 'status reads no TIME_WAIT count');
});

test("a walk through a child process is billed the child's CPU too: the budget counts ss, not only this thread", async () => {
  const listeners = () => Promise.resolve({ ok: true as const, listeners: [], badLines: 0 });
  const costs: number[] = [];
  const table: TableMemory = { reusable: () => null, walked: (_t, _c, _n, costMs) => { costs.push(costMs); }, plan: () => 'dump' };
  const readers = {
    timeWait: () => 30_000,
    // Stands in for ss: a child that uses 150 ms of its own CPU while this thread waits for it.
    diag: async () => {
      await spendCpuInChild(150);
      return { rows: 0, badLines: 0 };
    },
  };
  await takeSample({ table, listeners, now: () => T0, readers });
  assert.equal(costs.length, 1);
  assert.ok((costs[0] ?? 0) >= 140, `the walk cost ${String(costs[0])} ms`);
});
