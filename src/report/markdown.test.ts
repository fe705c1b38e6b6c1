// The Markdown summary says what an admin needs: class, times, peaks, cookie meaning, sources, bans, hardening.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSnapshot } from '../detect/snapshot.js';
import { DEFAULT_PREFIXES, fixtureSample, T0 } from '../testing/samples.js';
import { formatSeconds, reportMarkdown } from './markdown.js';
import { recordHardening, recordTick, startRecord } from './recorder.js';
import { finishReport } from './report.js';

test('a report of a spoofed flood in Markdown', () => {
  const [a, b] = [0, 1].map((w) => buildSnapshot(fixtureSample('spoofed-v4-cookies', w as 0 | 1), DEFAULT_PREFIXES));
  const s = startRecord({ eventId: 4, kind: 'spoofed-syn-flood', summary: 'SYN flood from many likely-spoofed sources', evidence: ['129 distinct sources'], at: T0 + 1000 });
  recordTick(s, { at: T0 + 1000, prev: a, cur: b!, kind: 'spoofed-syn-flood' });
  recordHardening(s, T0 + 1000, 'attack', ['net.ipv4.tcp_synack_retries 5 -> 2']);
  const md = reportMarkdown(finishReport(s, T0 + 1000 + 135_000, []));
  assert.match(md, /^# Attack 20261125T120001Z-4: spoofed-syn-flood\n/);
  assert.match(md, /\*\*Start:\*\* 2026-11-25 12:00:01 UTC/);
  assert.match(md, /\*\*End:\*\* 2026-11-25 12:02:16 UTC \(2m 15s; last seen 2026-11-25 12:00:01 UTC, then calm\)/);
  assert.match(md, /\| half-open connections \(SYN_RECV\) \| 129 \|/);
  assert.match(md, /\| SYN cookies sent per second \| 5,780 \|/);
  assert.match(md, /5,780 sent, 0 returned, 0 failed validation\.\n\nOnly 0\.00% of the cookies came back/);
  assert.match(md, /## Top sources\n\nAt most 1\d\d distinct sources at once\./);
  assert.match(md, /No bans\./);
  assert.match(md, /raised: net\.ipv4\.tcp_synack_retries 5 -> 2/);
});

test('durations read as an admin writes them', () => {
  assert.deepEqual([formatSeconds(5), formatSeconds(135), formatSeconds(3725)], ['5s', '2m 15s', '1h 2m 5s']);
});
