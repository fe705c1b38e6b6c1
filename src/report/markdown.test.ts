// The Markdown summary says what an admin needs: class, times, peaks, cookie meaning, sources, bans, hardening.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSnapshot } from '../detect/snapshot.js';
import { DEFAULT_PREFIXES, fixtureSample, T0 } from '../testing/samples.js';
import { sampleSenders } from '../testing/syn-senders.js';
import { formatSeconds, reportMarkdown } from './markdown.js';
import { recordHardening, recordTick, startRecord } from './recorder.js';
import { finishReport, type AttackReport } from './report.js';

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

test('the kernel meter\'s top 10 senders: peak SYN/s, when, proven, dropped; a word when there were none; nothing in an older report', () => {
  const [a, b] = [0, 1].map((w) => buildSnapshot(fixtureSample('spoofed-v4-cookies', w as 0 | 1), DEFAULT_PREFIXES));
  const report = (senders: ReturnType<typeof sampleSenders>) => {
    const s = startRecord({ eventId: 5, kind: 'syn-flood', summary: 'SYN flood', evidence: [], at: T0 + 1000 });
    recordTick(s, { at: T0 + 1000, prev: a, cur: b!, kind: 'syn-flood', synSenders: senders });
    return finishReport(s, T0 + 60_000, []);
  };
  const md = reportMarkdown(report(sampleSenders(30)));
  const section = /## Top SYN senders \(kernel meter\)\n\n([\s\S]*?)\n\n## /.exec(md)?.[1] ?? '';
  assert.match(section, /\| sender \| peak SYN\/s \| at \| proven \| dropped by the kernel \| samples \|/);
  const rows = section.split('\n').filter((l) => /^\| \d/.test(l));
  assert.equal(rows.length, 10, 'the top 10 of the 20 the JSON keeps');
  assert.equal(rows[0], '| 198.18.0.1 | 2,000 | 2026-11-25 12:00:01 UTC | no | yes | 1 |');
  assert.ok(md.indexOf('## Top sources') < md.indexOf('## Top SYN senders') && md.indexOf('## Top SYN senders') < md.indexOf('## Decisions'));
  const few = reportMarkdown(report(sampleSenders(1)));
  assert.match(few, /\| 198\.51\.100\.20 \| 950 \| .* \| yes \| no \| 1 \|/, 'the proxy: proven, not dropped');
  assert.match(few, /\| 203\.0\.113\.0\/24 \| 450 \| .* \| no \| yes \| 1 \|/, 'a prefix dropped as a whole');
  assert.match(reportMarkdown(report([])), /## Top SYN senders \(kernel meter\)\n\nNone: no source went over the kernel meter's rates/);
  const older: AttackReport = { ...report([]) };
  delete (older as { synSenders?: unknown }).synSenders;
  assert.doesNotMatch(reportMarkdown(older), /Top SYN senders/, 'a report from before the meter has no such section');
});

test('durations read as an admin writes them', () => {
  assert.deepEqual([formatSeconds(5), formatSeconds(135), formatSeconds(3725)], ['5s', '2m 15s', '1h 2m 5s']);
});
