// takeSample and the daemon's table memory: the defender's quiet word reaches it, and a tally it gives back is used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { takeSample, type TableMemory } from './sample.js';
import { SocketTally } from './socket-tally.js';
import { T0 } from '../testing/clock.js';

test('takeSample passes the quiet word to the table memory and uses the walk it gives back', async () => {
  const kept = new SocketTally();
  const asked: boolean[] = [];
  let walks = 0;
  const costs: number[] = [];
  const table: TableMemory = {
    reusable: (_counters, _now, quiet) => { asked.push(quiet); return quiet ? kept : null; },
    walked: (_tally, _counters, _now, costMs) => { walks++; costs.push(costMs); },
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
