// The daemon's reports end to end in-process: bus events in, files out (modes, atomic names), recovery of an
// attack a crash left open, the API routes, and `synguard reports`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exec } from '../core/exec.js';
import { memoryLog } from '../core/log.js';
import { buildSnapshot } from '../detect/snapshot.js';
import type { Assessment } from '../detect/assess.js';
import type { Store } from '../store/index.js';
import { DEFAULT_PREFIXES, fixtureSample, T0 } from '../testing/samples.js';
import { startTestApi } from '../testing/test-app.js';
import { reportsDir } from './files.js';
import { checkpointName, startReports } from './reporter.js';
import type { AttackReport } from './report.js';
import { defenderSources } from '../testing/sources.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const [A, B] = [0, 1].map((w) => buildSnapshot(fixtureSample('concentrated-v4', w as 0 | 1), DEFAULT_PREFIXES)) as [ReturnType<typeof buildSnapshot>, ReturnType<typeof buildSnapshot>];
const verdict = (kind: Assessment['kind']): Assessment => ({ kind, summary: kind, evidence: [], offenders: [] });

/** Drives one attack through the bus events the defender emits, in its order. */
function attack(store: Store, reports: ReturnType<typeof startReports>, start: number, opts: { end?: boolean } = {}): number {
  const eventId = store.events.start('syn-flood', 'SYN flood from 1 source', start, { evidence: ['129 half-open'] });
  reports.handle({ type: 'attack-start', at: start, eventId, kind: 'syn-flood', summary: 'SYN flood from 1 source', evidence: ['129 half-open'] });
  reports.handle({ type: 'hardening', at: start, mode: 'attack', changes: ['net.ipv4.tcp_synack_retries 5 -> 2'] });
  const metered = [{ address: '198.18.1.2', synPerSecond: 1800, proven: false, dropped: true }];
  reports.handle({ type: 'tick', at: start, prev: A, cur: B, assessment: verdict('syn-flood'), sources: defenderSources(B), underAttack: true, synSenders: metered });
  store.decisions.insert({ scope: 'ip', value: '198.18.1.2/32', action: 'ban', reason: 'SYN flood', evidence: [], origin: 'auto', createdAt: start + 1000, until: start + 600_000, offence: 1 });
  reports.handle({ type: 'tick', at: start + 20_000, prev: B, cur: B, assessment: verdict('none'), sources: defenderSources(B), underAttack: true, synSenders: [] });
  if (opts.end === false) return eventId;
  store.events.end(eventId, start + 30_000);
  reports.handle({ type: 'attack-end', at: start + 30_000, eventId, kind: 'syn-flood', startedAt: start });
  reports.handle({ type: 'hardening', at: start + 30_000, mode: 'calm', changes: ['net.ipv4.tcp_synack_retries 2 -> 5'] });
  reports.handle({ type: 'tick', at: start + 30_000, prev: B, cur: B, assessment: verdict('none'), sources: defenderSources(B), underAttack: false, synSenders: [] });
  return eventId;
}

test('an attack through the bus: a report in JSON and Markdown, 0600 files in a 0700 directory, listed by the API and the CLI', async () => {
  const api = await startTestApi();
  try {
    const dir = reportsDir(api.store.dir);
    const reports = startReports({ store: api.store, dir, log: memoryLog(), now: () => T0, checkpointEveryMs: 10_000 });
    attack(api.store, reports, T0);
    assert.equal(reports.headline(1)?.bans, 1, 'the figures are ready at attack-end, for the notifier');
    await reports.idle();
    attack(api.store, reports, T0 + 3_600_000);
    await reports.stop();
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    const files = readdirSync(dir).sort();
    assert.deepEqual(files, ['20261125T120000Z-1.json', '20261125T120000Z-1.md', '20261125T130000Z-2.json', '20261125T130000Z-2.md']);
    for (const f of files) assert.equal(statSync(join(dir, f)).mode & 0o777, 0o600, f);
    const r = JSON.parse(readFileSync(join(dir, files[0]!), 'utf8')) as AttackReport;
    assert.equal(r.class, 'syn-flood');
    assert.equal(r.durationSeconds, 30);
    assert.equal(r.lastAttackSeenAt, new Date(T0).toISOString());
    assert.deepEqual(r.decisions.list.map((d) => d.value), ['198.18.1.2/32']);
    assert.deepEqual(r.hardening.map((h) => h.state), ['on', 'off'], 'the restore right after the end is in');
    assert.equal(r.interrupted, null);
    assert.deepEqual(r.synSenders?.map((x) => `${x.address} ${x.maxSynPerSecond} ${x.dropped}`), ['198.18.1.2 1800 true'], 'the kernel meter\'s view, from the ticks');
    assert.match(readFileSync(join(dir, files[1]!), 'utf8'), /^# Attack 20261125T120000Z-1: syn-flood/);
    assert.match(readFileSync(join(dir, files[1]!), 'utf8'), /\| 198\.18\.1\.2 \| 1,800 \| 2026-11-25 12:00:00 UTC \| no \| yes \| 1 \|/);

    const list = (await (await api.call('/api/v1/reports?limit=1', { token: null })).json()) as { total: number; reports: Array<{ id: string; bans: number }> };
    assert.equal(list.total, 2);
    assert.deepEqual(list.reports.map((x) => x.id), ['20261125T130000Z-2'], 'newest first');
    const one = await api.call('/api/v1/reports/20261125T120000Z-1', { token: null });
    assert.equal(one.status, 200);
    assert.equal(((await one.json()) as AttackReport).eventId, 1);
    assert.equal((await api.call('/api/v1/reports/20261125T120000Z-9', { token: null })).status, 404);
    for (const bad of ['..%2F..%2Fetc%2Fpasswd', '20261125T120000Z-1.json', '..', '%2e%2e']) {
      const res = await api.call(`/api/v1/reports/${bad}`, { token: null });
      assert.ok(res.status === 400 || res.status === 404, `${bad}: ${res.status}`);
    }
    assert.equal((await api.call('/api/v1/reports?limit=x', { token: null })).status, 400);

    const cli = await exec(process.execPath, [CLI, 'reports', '--json', '--state-dir', api.store.dir]);
    assert.equal(cli.exitCode, 0, cli.stderr);
    assert.deepEqual((JSON.parse(cli.stdout) as Array<{ id: string }>).map((x) => x.id), ['20261125T130000Z-2', '20261125T120000Z-1']);
    const text = await exec(process.execPath, [CLI, 'reports', '--state-dir', api.store.dir]);
    assert.match(text.stdout, /20261125T130000Z-2 +syn-flood +2026-11-25 13:00:00Z +30s +129 +1/);
    const show = await exec(process.execPath, [CLI, 'reports', 'show', '20261125T120000Z-1', '--state-dir', api.store.dir]);
    assert.match(show.stdout, /^# Attack 20261125T120000Z-1: syn-flood/);
    const json = await exec(process.execPath, [CLI, 'reports', 'show', '20261125T120000Z-1', '--json', '--state-dir', api.store.dir]);
    assert.equal((JSON.parse(json.stdout) as AttackReport).id, '20261125T120000Z-1');
    const bad = await exec(process.execPath, [CLI, 'reports', 'show', '../../etc/passwd', '--state-dir', api.store.dir]);
    assert.equal(bad.exitCode, 2);
    assert.match(bad.stderr, /^synguard: "..\/..\/etc\/passwd" is not a report id/);
    const missing = await exec(process.execPath, [CLI, 'reports', 'show', '20261125T120000Z-9', '--state-dir', api.store.dir]);
    assert.equal(missing.exitCode, 2);
    assert.match(missing.stderr, /no report 20261125T120000Z-9/);
  } finally {
    await api.close();
  }
});

test('a restart mid-attack: the open attack is closed at its last checkpoint and reported as interrupted', async () => {
  const api = await startTestApi();
  try {
    const dir = reportsDir(api.store.dir);
    const first = startReports({ store: api.store, dir, log: memoryLog(), now: () => T0, checkpointEveryMs: 10_000 });
    const id = attack(api.store, first, T0, { end: false });
    await first.idle(); // the daemon is killed here: no attack-end, no stop()
    assert.ok(existsSync(join(dir, checkpointName(id))), 'the attack in progress was checkpointed');
    assert.equal(api.store.events.open().length, 1);

    const log = memoryLog();
    startReports({ store: api.store, dir, log, now: () => T0 + 3_600_000 });
    assert.equal(api.store.events.open().length, 0, 'the store no longer holds it open');
    const ev = api.store.events.list()[0]!;
    assert.equal(ev.endedAt, T0 + 20_000, 'closed at its last recorded sample');
    assert.equal(ev.detail['interrupted'], true);
    assert.ok(!existsSync(join(dir, checkpointName(id))));
    const r = JSON.parse(readFileSync(join(dir, '20261125T120000Z-1.json'), 'utf8')) as AttackReport;
    assert.match(r.interrupted ?? '', /the daemon stopped during the attack; closed at its last recorded sample/);
    assert.equal(r.peaks.halfOpen?.value, 129, 'what was recorded before the crash is kept');
    assert.equal(r.decisions.count, 1);
    assert.equal(log.lines.find((l) => l['event'] === 'attack-recovered')?.['report'], '20261125T120000Z-1');
  } finally {
    await api.close();
  }
});

test('a crash before any checkpoint: the attack is closed at its start, with what the store knows', async () => {
  const api = await startTestApi();
  try {
    const dir = reportsDir(api.store.dir);
    api.store.events.start('spoofed-syn-flood', 'spread flood', T0, { evidence: ['129 distinct sources'] });
    startReports({ store: api.store, dir, log: memoryLog(), now: () => T0 + 5000 });
    const r = JSON.parse(readFileSync(join(dir, '20261125T120000Z-1.json'), 'utf8')) as AttackReport;
    assert.deepEqual([r.class, r.durationSeconds, r.ticks, r.evidence[0]], ['spoofed-syn-flood', 0, 0, '129 distinct sources']);
    assert.match(r.interrupted ?? '', /closed at its start/);
    assert.equal(api.store.events.open().length, 0);
  } finally {
    await api.close();
  }
});
