// takeSample and the daemon's table memory: the defender's quiet word reaches it, and a tally it gives back is used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { takeSample, type TableMemory } from './sample.js';
import { SocketTally } from './socket-tally.js';
import { STATE } from './tcp-table.js';
import { T0 } from '../testing/clock.js';
import { spendCpuInChild } from '../testing/cpu-child.js';

test('takeSample passes the quiet word to the table memory and uses the walk it gives back', async () => {
  const kept = new SocketTally();
  const asked: boolean[] = [];
  let walks = 0;
  const costs: number[] = [];
  const table: TableMemory = {
    reusable: (_counters, _now, quiet) => { asked.push(quiet); return quiet ? kept : null; },
    walked: (_tally, _counters, _now, costMs) => { walks++; costs.push(costMs); },
    skipTimeWait: () => false,
  };
  const listeners = () => Promise.resolve({ ok: true as const, listeners: [], badLines: 0 });
  const quiet = await takeSample({ table, quiet: true, listeners, now: () => T0 });
  assert.equal(quiet.tally, kept, 'the kept walk, no new one');
  assert.equal(walks, 0);
  const loud = await takeSample({ table, listeners, now: () => T0 });
  assert.notEqual(loud.tally, kept, 'not quiet: the table is walked');
  assert.equal(walks, 1);
  assert.ok(costs.length === 1 && Number.isFinite(costs[0]) && (costs[0] ?? -1) >= 0, `the walk's CPU cost is handed over: ${String(costs)}`);
  assert.deepEqual(asked, [true, false]);
});

test('TIME_WAIT-heavy: the walk goes without them when the table memory says so, their count from the kernel; /proc when ss fails', async () => {
  const listeners = () => Promise.resolve({ ok: true as const, listeners: [], badLines: 0 });
  const asked: number[] = [];
  const table: TableMemory = { reusable: () => null, walked: () => undefined, skipTimeWait: (tw) => { asked.push(tw); return tw >= 2000; } };
  let ssRuns = 0;
  const readers = (timeWait: number | null, ssWorks: boolean) => ({
    timeWait: () => timeWait,
    withoutTimeWait: (sink: SocketTally) => {
      ssRuns++;
      if (!ssWorks) return Promise.resolve(null);
      sink.row(0x7f000001, 22, 0x7f000002, 40_000, STATE.ESTABLISHED, 0, 0);
      return Promise.resolve({ rows: 1, badLines: 0 });
    },
  });
  const skipped = await takeSample({ table, listeners, now: () => T0, readers: readers(30_000, true) });
  assert.equal(ssRuns, 1);
  assert.equal(skipped.tally.states[STATE.TIME_WAIT], 30_000, "the kernel's count");
  assert.equal(skipped.tally.states[STATE.ESTABLISHED], 1, "ss's row");
  const failed = await takeSample({ table, listeners, now: () => T0, readers: readers(7_777_777, false) });
  assert.equal(ssRuns, 2);
  assert.ok((failed.tally.states[STATE.TIME_WAIT] ?? 0) < 7_777_777, 'ss failed: /proc walked, the count not added');
  await takeSample({ table, listeners, now: () => T0, readers: readers(10, true) });
  await takeSample({ table, listeners, now: () => T0, readers: readers(null, true) });
  assert.equal(ssRuns, 2, 'few TIME_WAIT, or no count: /proc');
  assert.deepEqual(asked, [30_000, 7_777_777, 10]);
});

test("a walk through a child process is billed the child's CPU too: the budget counts ss, not only this thread", async () => {
  const listeners = () => Promise.resolve({ ok: true as const, listeners: [], badLines: 0 });
  const costs: number[] = [];
  const table: TableMemory = { reusable: () => null, walked: (_t, _c, _n, costMs) => { costs.push(costMs); }, skipTimeWait: () => true };
  const readers = {
    timeWait: () => 30_000,
    // Stands in for ss: a child that uses 150 ms of its own CPU while this thread waits for it.
    withoutTimeWait: async () => {
      await spendCpuInChild(150);
      return { rows: 0, badLines: 0 };
    },
  };
  await takeSample({ table, listeners, now: () => T0, readers });
  assert.equal(costs.length, 1);
  assert.ok((costs[0] ?? 0) >= 140, `the walk cost ${String(costs[0])} ms`);
});
