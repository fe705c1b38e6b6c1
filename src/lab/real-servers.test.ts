// The real victim servers and wrk, for real: each serves wrk's keep-alive and close requests with its config under
// the run's directory; no server process, namespace or host file remains after success, failure or SIGINT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exec, spawnLong } from '../core/exec.js';
import { listLeftovers, serverProcesses } from './leftovers.js';
import { listNs } from './netns.js';
import type { LabReport } from './report.js';
import { runScenario } from './runner.js';
import { loadScenario } from './scenario-load.js';
import { FLOODS, needs } from '../testing/needs.js';
import { tempDir } from '../testing/temp.js';

const REAL = [...FLOODS, 'nginx', 'apache2', 'wrk', 'setsid'];
const main = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const out = tempDir('sgl-real-');
chmodSync(out, 0o755); // the servers' workers (www-data, nobody) read the document root under it
/** Where Debian's packages would write if a server fell back to its built-in paths. */
const HOST_PATHS = ['/var/log/nginx', '/var/log/apache2', '/run/nginx.pid', '/run/apache2', '/var/lib/nginx'];
const hostState = (): string => HOST_PATHS.map((p) => (existsSync(p) ? `${p} ${statSync(p).mtimeMs} ${statSync(p).isDirectory() ? readdirSync(p).join(',') : ''}` : `${p} -`)).join('\n');
const strays = (): number => serverProcesses(new Map()).length;

for (const server of ['nginx', 'apache-prefork']) {
  test(`${server}: wrk keep-alive and close both served; pid, log and config under the run dir; nothing left`, { timeout: 90_000 }, needs(REAL, async () => {
    const host = hostState();
    const dir = join(out, server);
    const r = await exec(process.execPath, [main, 'lab', 'run', 'baseline', '--short', '--json', '--server', server, '--client', 'wrk', '--warm-up', '0', '--out', dir], { timeoutMs: 60_000 });
    assert.equal(r.exitCode, 0, r.stderr);
    const report = JSON.parse(r.stdout) as LabReport;
    assert.equal(report.server?.kind, server);
    assert.deepEqual(report.wrk?.map((w) => [w.window, w.mode]), [['baseline', 'keep-alive'], ['baseline', 'close']]);
    for (const w of report.wrk ?? []) {
      assert.ok((w.result?.requests ?? 0) > 100, `${w.mode}: ${w.error ?? ''}`);
      assert.equal(w.result?.errors.non2xx3xx, 0, 'every response is a 200');
      // its processes, counted at the window's ends: nginx its master and 1 worker; Apache its master and a pool from StartServers 5
      const p = w.serverProcesses;
      if (server === 'nginx') assert.deepEqual(p, { start: 2, end: 2 });
      else assert.ok(p && p.start >= 6 && p.end >= 6 && p.end <= 151, JSON.stringify(p));
    }
    assert.equal(report.phases[0]?.legit.succeeded, report.phases[0]?.legit.attempts, 'the probe gets 200s too');
    const files = readdirSync(join(dir, 'server'));
    assert.ok(files.includes(`sgl-${report.labId}-${server}.conf`) && files.includes('error.log'), files.join(' '));
    assert.deepEqual(await listLeftovers({ id: report.labId }), []);
    assert.equal(hostState(), host, 'nothing written to the host\'s nginx/apache paths');
  }));
}

test('--wrk-mode close runs wrk alone, in close mode, after a --warm-up, and implies --client wrk; a wrong use is one line and no lab', { timeout: 60_000 }, needs(REAL, async () => {
  const r = await exec(process.execPath, [main, 'lab', 'run', 'baseline', '--short', '--json', '--server', 'nginx', '--wrk-mode', 'close', '--warm-up', '2', '--out', join(out, 'close-only')], { timeoutMs: 60_000 });
  assert.equal(r.exitCode, 0, r.stderr);
  const report = JSON.parse(r.stdout) as LabReport;
  assert.deepEqual(report.wrk?.map((w) => [w.window, w.mode]), [['warm-up', 'close'], ['baseline', 'close']]);
  for (const w of report.wrk ?? []) assert.ok((w.result?.requests ?? 0) > 100, w.error);
  // the warm-up ends before t = 0, and the baseline starts at it
  const [warm, base] = report.wrk ?? [];
  assert.ok(warm && base && warm.start < -1500 && warm.end <= base.start + 300 && Math.abs(base.start) < 300, JSON.stringify(report.wrk?.map((w) => [w.start, w.end])));
  assert.deepEqual(await listLeftovers({ id: report.labId }), []);
  for (const [args, why] of [
    [['--client', 'builtin', '--wrk-mode', 'close'], /--wrk-mode sets wrk's load: it goes with --client wrk, not --client builtin/],
    [['--wrk-mode', 'pipelined'], /--wrk-mode expects one of keep-alive, close, both, got "pipelined"/],
    [['--client', 'curl', '--wrk-mode', 'close'], /--client expects one of builtin, wrk, got "curl"/],
    [['--client', 'wrk', '--warm-up', '31'], /--warm-up expects whole seconds from 0 to 30, got "31"/],
    [['--warm-up', '5'], /--warm-up is wrk's warm-up: it goes with --client wrk/],
  ] as const) {
    const bad = await exec(process.execPath, [main, 'lab', 'run', 'baseline', '--short', ...args], { timeoutMs: 30_000 });
    assert.notEqual(bad.exitCode, 0);
    assert.match(bad.stderr, why);
    assert.doesNotMatch(bad.stderr, /lab [0-9a-f]{6} up/, 'refused before any lab');
  }
}));

test('a run directory the workers cannot enter: one clear line, nothing left', { timeout: 60_000 }, needs(REAL, async () => {
  const closed = tempDir('sgl-closed-'); // mode 700
  const r = await exec(process.execPath, [main, 'lab', 'run', 'baseline', '--short', '--server', 'nginx', '--out', join(closed, 'run')], { timeoutMs: 60_000 });
  assert.notEqual(r.exitCode, 0);
  assert.match(r.stderr, /nginx's workers cannot read .*is not searchable by other users \(mode 700\)/);
  assert.equal(r.stderr.trim().split('\n').filter((l) => !l.trimStart().startsWith('…')).length, 1, r.stderr);
  const id = /lab ([0-9a-f]{6}) up/.exec(r.stderr)?.[1];
  assert.ok(id);
  assert.deepEqual(await listLeftovers({ id }), []);
  assert.equal(strays(), 0);
}));

test('failure after the server started (the defender cannot start): the server is stopped, nothing left', { timeout: 60_000 }, needs(REAL, async () => {
  const { scenario } = loadScenario('baseline');
  const before = new Set(await listNs());
  await assert.rejects(runScenario('baseline', scenario, {
    scale: 0.3, server: 'apache-prefork', defend: true, outDir: join(out, 'failure'),
    defender: () => Promise.reject(new Error('stand-in defender failed')),
  }), /stand-in defender failed/);
  const created = (await listNs()).filter((n) => !before.has(n) && n.startsWith('sgl-'));
  assert.deepEqual(created, []);
  assert.ok(existsSync(join(out, 'failure', 'server', 'error.log')), 'the server did start');
  assert.equal(strays(), 0);
}));

test('SIGINT mid-slowloris against apache: the server, its children and the namespaces are gone', { timeout: 60_000 }, needs(REAL, async () => {
  const { child, exited } = spawnLong(process.execPath, [main, 'lab', 'run', 'slowloris', '--short', '--server', 'apache-prefork', '--out', join(out, 'sigint')]);
  let running = false;
  for (let i = 0; i < 100 && !running; i++) {
    await new Promise((r) => setTimeout(r, 100));
    running = existsSync(join(out, 'sigint', 'server', 'apache2.pid'));
  }
  assert.ok(running, 'apache started');
  const id = /sgl-([0-9a-f]{6})-apache-prefork\.conf/.exec(readdirSync(join(out, 'sigint', 'server')).join(' '))?.[1];
  assert.ok(id);
  await new Promise((r) => setTimeout(r, 2500)); // mid-attack
  assert.ok((await listLeftovers({ id })).some((l) => l.startsWith('server process')), 'the check sees a running server');
  child.kill('SIGINT');
  await exited;
  assert.deepEqual(await listLeftovers({ id }), []);
}));

test('slowloris spread over a /24 fills Apache prefork; the defender names the 8 holders, spares the client in that /24', { timeout: 120_000 }, needs(REAL, async () => {
  const r = await exec(process.execPath, [main, 'lab', 'run', 'slowloris-spread', '--scale', '0.5', '--json', '--server', 'apache-prefork', '--client', 'wrk', '--defend', '--out', join(out, 'spread')], { timeoutMs: 100_000 });
  assert.equal(r.exitCode, 0, r.stderr);
  const report = JSON.parse(r.stdout) as LabReport;
  const actions = report.defender?.actions ?? [];
  const bans = actions.filter((a) => a.kind === 'ban').map((a) => a.value);
  const holders = Array.from({ length: 8 }, (_, i) => `198.18.2.${2 + i}`);
  // either the 8 addresses, or the /24 the policy aggregates them into (prefixAfter 8) with the client spared
  const covered = (a: string): boolean => bans.includes(`${a}/32`) || bans.includes('198.18.2.0/24');
  assert.ok(holders.every(covered), `bans: ${bans.join(', ')}`);
  const spared = actions.filter((a) => a.kind === 'spared').map((a) => a.value).join(' ');
  assert.ok(!bans.includes('198.18.2.0/24') || spared.includes('198.18.2.200'), `198.18.2.200 spared: ${spared}`);
  for (const h of holders) assert.ok(!spared.split(/[ ,]+/).includes(h), `${h} is a holder, never spared`);
  assert.ok(!bans.some((b) => b.startsWith('198.18.1.') || b === '198.18.2.200/32'), `no legitimate address: ${bans.join(', ')}`);
  assert.ok(actions.some((a) => a.kind === 'sockets-killed'), 'the holders\' sockets are killed, freeing the workers');
  // wrk's own load grows Apache's pool from its cold start (StartServers 5 and the master) during the warm-up, before
  // the baseline: the reason for the warm-up. By how much varies: 24 to 151 processes after it (docs/benchmarks.md,
  // round 21).
  const warm = report.wrk?.filter((w) => w.window === 'warm-up').map((w) => w.serverProcesses) ?? [];
  const cold = Math.min(...warm.map((p) => p?.start ?? NaN)), grown = Math.max(...warm.map((p) => p?.end ?? NaN));
  assert.ok(warm.length === 2 && cold <= 7 && grown >= cold + 10, `Apache's processes over the warm-up: ${JSON.stringify(warm)}`);
  const after = report.wrk?.filter((w) => w.window === 'recovery') ?? [];
  assert.ok(after.every((w) => (w.result?.requestsPerSec ?? 0) > 100), 'wrk is served again after the flood');
  assert.deepEqual(await listLeftovers({ id: report.labId }), []);
}));
