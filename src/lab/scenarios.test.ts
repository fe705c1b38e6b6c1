// The short scenario suite: every shipped scenario for real (times × 0.3), with assertions on what was measured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { exec } from '../core/exec.js';
import { listLeftovers } from './leftovers.js';
import type { LabReport } from './report.js';
import { FLOODS, needs } from '../testing/needs.js';
import { tempDir } from '../testing/temp.js';

const main = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const out = tempDir('sgl-test-');

let runs = 0;
async function run(name: string, ...extra: string[]): Promise<LabReport> {
  const dir = join(out, `${name}-${++runs}`);
  const r = await exec(process.execPath, [main, 'lab', 'run', name, '--short', '--json', '--out', dir, ...extra], { timeoutMs: 90_000 });
  assert.equal(r.exitCode, 0, `lab run ${name} failed: ${r.stderr}`);
  const report = JSON.parse(r.stdout) as LabReport;
  assert.deepEqual(await listLeftovers({ id: report.labId }), [], 'teardown left something');
  for (const s of report.attack.steps) assert.equal(s.error, undefined, s.label);
  return report;
}

const phase = (r: LabReport, name: string): LabReport['phases'][number] => {
  const p = r.phases.find((x) => x.name === name);
  assert.ok(p, `phase ${name} in ${r.phases.map((x) => x.name).join(', ')}`);
  return p;
};
const ratio = (p: LabReport['phases'][number]): number => p.legit.succeeded / Math.max(1, p.legit.attempts);

const opts = { timeout: 120_000 };

test('baseline: every legitimate request succeeds; the report follows the contract', opts, needs(FLOODS, async () => {
  const r = await run('baseline');
  assert.equal(r.scenario, 'baseline');
  assert.deepEqual(Object.keys(r.phases[0]?.legit ?? {}).slice(0, 5), ['attempts', 'succeeded', 'p50Ms', 'p95Ms', 'p99Ms']);
  assert.ok((r.phases[0]?.legit.attempts ?? 0) >= 100);
  assert.ok(ratio(r.phases[0]!) >= 0.99);
  assert.equal(r.attack.packetsSent, 0);
  assert.equal(r.defender, null);
  assert.equal(r.timeToMitigateMs, null);
  assert.equal(r.timeToRecoverMs, null);
}));

/** The root namespace's view of what the lab must never touch. */
async function rootState(): Promise<string> {
  const sysctls = await exec('sysctl', ['net.ipv4.tcp_syncookies', 'net.core.somaxconn', 'net.ipv4.tcp_max_syn_backlog', 'net.ipv4.tcp_synack_retries']);
  const routes = await exec('ip', ['route', 'show', 'table', 'all']);
  const routes6 = await exec('ip', ['-6', 'route', 'show', 'table', 'all']);
  const labRoutes = (routes.stdout + routes6.stdout).split('\n').filter((l) => /198\.1[89]\.|2001:db8:/.test(l));
  return sysctls.stdout + labRoutes.join('\n');
}

test('spoofed-syn: cookies off + backlog 64 hurts legitimate clients, cookies on does not', opts, needs(FLOODS, async () => {
  const before = await rootState();
  const r = await run('spoofed-syn', '--scale', '0.4');
  assert.equal(await rootState(), before, 'root namespace sysctls and routes are untouched');
  const off = phase(r, 'attack');
  const on = phase(r, 'attack: tcp_syncookies=1');
  assert.ok(ratio(phase(r, 'baseline')) >= 0.95);
  // cookies off: first SYNs are dropped, so attempts time out or need the kernel's 1 s retransmit
  assert.ok(ratio(off) <= 0.9, `cookies off: ${off.legit.succeeded}/${off.legit.attempts} succeeded`);
  assert.ok((off.legit.errors['connect-timeout'] ?? 0) >= 5, `cookies off: ${JSON.stringify(off.legit.errors)}`);
  assert.ok((off.legit.p50Ms ?? Infinity) >= 500, `cookies off: p50 ${off.legit.p50Ms} ms`);
  // cookies on: every attempt succeeds at once (p50 well under a retransmit)
  assert.ok(ratio(on) >= 0.95, `cookies on: ${on.legit.succeeded}/${on.legit.attempts} succeeded`);
  assert.ok((on.legit.p50Ms ?? Infinity) < 100, `cookies on: p50 ${on.legit.p50Ms} ms`);
  assert.ok((r.victim.counters['TCPReqQFullDrop'] ?? 0) > 100, 'SYNs were dropped while cookies were off');
  assert.ok((r.victim.counters['TCPReqQFullDoCookies'] ?? 0) > 100, 'cookies were sent once on');
  assert.ok(r.attack.packetsSent > 2000);
  assert.ok(r.timeToRecoverMs !== null && r.timeToRecoverMs > 0);
}));

test('spoofed-syn with cookies on from the start: legitimate clients are fine throughout', opts, needs(FLOODS, async () => {
  const r = await run('spoofed-syn', '--sysctl', 'tcp_syncookies=1');
  for (const p of r.phases) assert.ok(ratio(p) >= 0.95, `${p.name}: ${p.legit.succeeded}/${p.legit.attempts}`);
  assert.ok((r.victim.counters['TCPReqQFullDoCookies'] ?? 0) > 100);
}));

for (const [name, family] of [['concentrated-syn', 4], ['concentrated-syn-v6', 6], ['rotating-v6', 6]] as const) {
  test(`${name}: the IPv${family} flood reaches the victim, cookies keep legitimate clients served`, opts, needs(FLOODS, async () => {
    const r = await run(name);
    assert.ok(r.attack.packetsSent > 2000, `sent ${r.attack.packetsSent}`);
    assert.ok((r.victim.counters['SyncookiesSent'] ?? 0) > 500, `cookies sent: ${r.victim.counters['SyncookiesSent']}`);
    assert.ok(ratio(phase(r, 'attack')) >= 0.95);
  }));
}

test('connection-flood: held connections exhaust the server; SYN cookies do not help', opts, needs(FLOODS, async () => {
  const r = await run('connection-flood');
  const step = r.attack.steps[0];
  assert.ok((step?.detail?.['opened'] ?? 0) >= 200, `opened ${step?.detail?.['opened']}`);
  const a = phase(r, 'attack');
  assert.ok(ratio(a) <= 0.6, `${a.legit.succeeded}/${a.legit.attempts} succeeded`);
  assert.ok(ratio(phase(r, 'baseline')) >= 0.95);
}));

test('mixed: three simultaneous attacks all run, and legitimate clients suffer', opts, needs(FLOODS, async () => {
  const r = await run('mixed');
  assert.equal(r.attack.steps.length, 3);
  for (const s of r.attack.steps) assert.ok(s.packetsSent > 0, s.label);
  assert.ok(r.phases.filter((p) => p.name.startsWith('attack')).some((p) => ratio(p) < 0.8));
}));

test('trickle: steady low load leaves legitimate clients alone', opts, needs(FLOODS, async () => {
  const r = await run('trickle');
  assert.ok(r.attack.packetsSent >= 15 && r.attack.packetsSent <= 40, `sent ${r.attack.packetsSent}`);
  assert.equal(r.attack.steps[0]?.detail?.['failed'], 0);
  for (const p of r.phases) assert.ok(ratio(p) >= 0.95, p.name);
}));

test('two concurrent runs do not disturb each other', opts, needs(FLOODS, async () => {
  const [quiet, flooded] = await Promise.all([run('baseline'), run('spoofed-syn')]);
  assert.notEqual(quiet.labId, flooded.labId);
  for (const p of quiet.phases) assert.ok(ratio(p) >= 0.95, `baseline ${p.name}: ${p.legit.succeeded}/${p.legit.attempts}`);
  assert.equal(quiet.victim.counters['TCPReqQFullDrop'], 0, 'no flood packet reached the other run');
  assert.equal(quiet.victim.counters['SyncookiesSent'], 0);
  assert.ok((flooded.victim.counters['TCPReqQFullDrop'] ?? 0) > 100);
}));
