// The status screen's listener table, on a capture from a real kernel (test/fixtures/slots-shed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configFrom } from '../config/load.js';
import { buildReport } from '../detect/report.js';
import { fixtureSnapshots } from '../testing/samples.js';
import { renderStatus } from './status-view.js';

const cfg = configFrom({}).detection;

test('a port with declared slots shows the connections held on it; without a declaration the column is absent', () => {
  const [prev, cur] = fixtureSnapshots('slots-shed', {}, undefined, [8080]);
  const lines = renderStatus(buildReport(prev, cur, cfg, 5)).split('\n');
  const header = lines.findIndex((l) => /^\s+listener\s/.test(l));
  assert.match(lines[header] ?? '', /accept-q {2}held$/);
  assert.match(lines[header + 1] ?? '', /^\s+0\.0\.0\.0:8080\s.*\s0\s+151$/);
  const [p2, c2] = fixtureSnapshots('slots-shed');
  assert.doesNotMatch(renderStatus(buildReport(p2, c2, cfg, 5)), /held/);
});
