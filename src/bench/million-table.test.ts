// The million-table's machinery at a small scale, for real in a lab: every SYN of the sequential flood stays in the
// victim's table as one SYN_RECV entry (nothing pruned, dropped or lost to a failed SYN-ACK retransmit).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { FLOODS, needs } from '../testing/needs.js';
import { halfOpenIn } from './flooded-table.js';
import { withMillionTable } from './million-table.js';

test('a sequential flood of 20,000 SYNs leaves 20,000 SYN_RECV entries, still there 4 s later', { timeout: 90_000 }, needs(FLOODS, async () => {
  const r = await withMillionTable(20_000, async (table) => {
    await sleep(4000); // past the SYN-ACK retransmits at 1 s and 3 s
    return { size: table.size, later: await halfOpenIn(table.ns) };
  });
  assert.equal(r.packetsSent, 20_000, 'the count bounds the flood');
  assert.equal(r.result.size, 20_000, 'one entry per SYN');
  assert.equal(r.result.later, 20_000, 'no entry lost to pruning or a failed retransmit');
}));
