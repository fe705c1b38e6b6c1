import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configFrom } from '../config/load.js';
import type { SourceStat, SourceSummary } from './sources.js';
import { approaching } from './approaching.js';

const d = configFrom({}).detection; // established: ban 50, clear 25; halfOpen: ban 32, clear 16
const stat = (address: string, established: number, synRecv = 0): SourceStat =>
  ({ address, prefix: '', synRecv, established, establishedUnread: 0, total: established + synRecv, states: {} });
const summary = (est: SourceStat[], half: SourceStat[] = []) => ({ establishedOffenders: est, halfOpenOffenders: half }) as unknown as SourceSummary;

test('a source between clear and ban that grew since the last tick is rising; one holding steady is not', () => {
  const first = approaching(new Map(), summary([stat('198.18.2.2', 30)]), d);
  assert.equal(first.rising, true);
  const steady = approaching(first.counts, summary([stat('198.18.2.2', 30)]), d);
  assert.equal(steady.rising, false, 'a proxy holding 30 keep-alive connections does not keep the daemon in fast ticks');
  assert.equal(approaching(first.counts, summary([stat('198.18.2.2', 31)]), d).rising, true);
});

test('below clear, or at ban (banned this tick anyway), nothing is rising; half-open counts too', () => {
  assert.equal(approaching(new Map(), summary([stat('198.18.2.2', 24), stat('198.18.2.3', 50)]), d).rising, false);
  assert.equal(approaching(new Map(), summary([], [stat('198.18.2.4', 0, 20)]), d).rising, true);
});
