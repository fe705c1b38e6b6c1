// The hand-kept loop histogram writes what prom-client's own Histogram writes for the same observations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Histogram, Registry } from 'prom-client';
import { LoopHistogram } from './loop-histogram.js';

test('loop histogram: the same exposition as prom-client for the same observations', async () => {
  const buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
  const registry = new Registry();
  const theirs = new Histogram({ name: 'x_loop_seconds', help: 'time one pass took', buckets, registers: [registry] });
  const ours = new LoopHistogram('x_loop_seconds', 'time one pass took', buckets);
  assert.equal(`${ours.text()}\n`, await registry.metrics(), 'empty');
  for (const s of [0.0004, 0.001, 0.0031, 0.004, 0.02, 0.3, 1, 2.6, 7, 0.1 + 0.2]) {
    theirs.observe(s);
    ours.observe(s);
  }
  assert.equal(`${ours.text()}\n`, await registry.metrics());
});
