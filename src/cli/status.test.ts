// The status command as a user runs it: a real process, real /proc, exit codes and messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exec } from '../core/exec.js';
import type { StatusReport } from '../detect/report.js';
import { tempDir } from '../testing/temp.js';

const CLI = fileURLToPath(new URL('./main.js', import.meta.url));
const run = (args: string[], env?: NodeJS.ProcessEnv) => exec(process.execPath, [CLI, ...args], { timeoutMs: 20_000, ...(env ? { env } : {}) });

test('--json --interval 0: one sample, the contract fields, rates null', async () => {
  const r = await run(['status', '--json', '--interval', '0', '--top', '3']);
  assert.equal(r.exitCode, 0, r.stderr);
  const report = JSON.parse(r.stdout) as StatusReport;
  for (const key of ['states', 'listeners', 'sources', 'counters', 'sysctls', 'assessment'] as const) assert.ok(key in report, key);
  assert.ok(['none', 'weak-config', 'syn-flood', 'spoofed-syn-flood', 'cookies-coping', 'connection-flood'].includes(report.assessment.kind));
  assert.equal(typeof report.states['LISTEN'], 'number');
  assert.equal(typeof report.counters['SyncookiesSent']?.value, 'number');
  assert.ok(Object.values(report.counters).every((c) => c.perSecond === null));
  assert.equal(typeof report.sysctls['net.ipv4.tcp_syncookies'], 'number');
  assert.ok(report.sources.length <= 3);
});

test('--interval 1: rates are numbers, over about one second', async () => {
  const r = await run(['status', '--json']);
  const report = JSON.parse(r.stdout) as StatusReport;
  assert.equal(typeof report.counters['InSegs']?.perSecond, 'number');
  assert.equal(report.counters['CurrEstab']?.perSecond, null, 'a gauge has no rate');
  assert.ok(report.intervalSeconds >= 0.9 && report.intervalSeconds < 5, String(report.intervalSeconds));
});

test('the human screen leads with the daemon line, then the verdict, and shows every section', async () => {
  const r = await run(['status', '--interval', '0']);
  assert.equal(r.exitCode, 0, r.stderr);
  assert.match(r.stdout.split('\n')[0] ?? '', /^daemon: (running|not running)/);
  assert.match(r.stdout.split('\n')[1] ?? '', /^(OK|WEAK CONFIG|SYN FLOOD|SPOOFED SYN FLOOD|COOKIES COPING|CONNECTION FLOOD): /);
  for (const section of ['Listeners', 'Top sources', 'Counters (single sample: no rates)', 'Sysctls', 'net.ipv4.tcp_syncookies']) {
    assert.ok(r.stdout.includes(section), section);
  }
});

test('without ss the listener section says so and the rest works', async () => {
  const r = await run(['status', '--json', '--interval', '0'], { ...process.env, PATH: '/nonexistent' });
  assert.equal(r.exitCode, 0, r.stderr);
  const report = JSON.parse(r.stdout) as StatusReport;
  assert.match(report.listenerError ?? '', /ss not found: install iproute2/);
  assert.ok(report.listeners.every((l) => l.backlog === null));
});

test('bad input: unknown flags, bad values and a bad config exit 2 with one clear line', async () => {
  const unknown = await run(['status', '--bogus']);
  assert.equal(unknown.exitCode, 2);
  assert.match(unknown.stderr, /unknown option '--bogus'/);
  assert.match(unknown.stderr, /Usage: synguard status/);
  const top = await run(['status', '--top', 'lots']);
  assert.equal(top.exitCode, 2);
  assert.equal(top.stderr.trim(), 'synguard: --top takes a whole number from 1 to 10000, got "lots"');
  const dir = tempDir('sg-cfg-');
  writeFileSync(join(dir, 'c.yaml'), 'detection:\n  halfOpen:\n    ban: -3\n  colour: red\n');
  const cfg = await run(['status', '--config', join(dir, 'c.yaml')]);
  assert.equal(cfg.exitCode, 2);
  assert.match(cfg.stderr, /detection\.halfOpen\.ban: .*found -3 \(number\)/);
  assert.match(cfg.stderr, /detection\.colour: unknown key/);
  assert.ok(!/\n\s+at /.test(cfg.stderr), 'no stack trace');
  assert.equal(cfg.stderr.trim().split('\n').length, 1);
  // a key from before the `detection` section names its new place, as one line, exit code 2
  writeFileSync(join(dir, 'old.yaml'), 'assessment:\n  synFlood:\n    perSourceHalfOpen: 40\n');
  const old = await run(['status', '--config', join(dir, 'old.yaml')]);
  assert.equal(old.exitCode, 2);
  assert.equal(old.stderr.trim(), `synguard: ${join(dir, 'old.yaml')}: assessment.synFlood.perSourceHalfOpen: moved to detection.halfOpen.ban`);
});

test('--watch redraws until interrupted, then exits 0', async () => {
  const { spawnLong } = await import('../core/exec.js');
  const { child, exited } = spawnLong(process.execPath, [CLI, 'status', '--watch', '0.2', '--interval', '0', '--json']);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  // interrupt only once two redraws arrived: the handler is installed by then, however slow the machine
  for (let waited = 0; out.trim().split('\n').length < 2 && waited < 20_000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGINT');
  assert.equal(await exited, 0);
  const lines = out.trim().split('\n');
  assert.ok(lines.length >= 2, `${lines.length} redraws`);
  for (const line of lines) assert.ok((JSON.parse(line) as StatusReport).assessment);
});

test('--json --watch | head -1: when the reader closes stdout, exit 0 quietly, no EPIPE trace', async () => {
  const { spawnLong } = await import('../core/exec.js');
  const { child, exited } = spawnLong(process.execPath, [CLI, 'status', '--watch', '0.2', '--interval', '0', '--json']);
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  // like `head -1`: read the first line, then close the pipe
  await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
  child.stdout?.destroy();
  assert.equal(await exited, 0, err);
  assert.equal(err, '');
});

test('the daemon object: not running and no store on a fresh path (nothing created); running with pid, uptime and active bans', async () => {
  const { existsSync } = await import('node:fs');
  const { openStore } = await import('../store/index.js');
  const { wallClock } = await import('../testing/clock.js');
  const top = tempDir('sg-daemon-');
  const fresh = join(top, 'state');
  const cfg = join(top, 'config.yaml'); // the built-in defaults, whatever /etc/synguard holds
  writeFileSync(cfg, '{}\n');
  const none = await run(['status', '--json', '--interval', '0', '--config', cfg, '--state-dir', fresh]);
  assert.equal(none.exitCode, 0, none.stderr);
  assert.deepEqual((JSON.parse(none.stdout) as { daemon: unknown }).daemon, { running: false, pid: null, stateDir: fresh, uptimeSeconds: null, lastTickSeconds: null, backend: 'nftables', activeBans: null, hardeningHeld: null, attack: null });
  assert.equal(existsSync(fresh), false);

  const dir = tempDir('sg-daemon-');
  const now = wallClock();
  const store = openStore(dir);
  store.decisions.insert({ scope: 'ip', value: '198.51.100.7/32', action: 'ban', reason: 'x', evidence: [], origin: 'manual', createdAt: now, until: now + 600_000, offence: 1 });
  store.sysctls.saveOnce('net.ipv4.tcp_synack_retries', '5', now);
  store.events.start('syn-flood', 'test', now);
  store.close();
  writeFileSync(join(dir, 'synguard.pid'), `${process.pid}\n`); // this test process stands in for a live daemon
  const live = await run(['status', '--json', '--interval', '0', '--config', cfg, '--state-dir', dir]);
  const daemon = (JSON.parse(live.stdout) as { daemon: { running: boolean; pid: number; uptimeSeconds: number; activeBans: number; hardeningHeld: string[]; attack: string } }).daemon;
  assert.deepEqual([daemon.running, daemon.pid, daemon.activeBans, daemon.hardeningHeld, daemon.attack], [true, process.pid, 1, ['net.ipv4.tcp_synack_retries'], 'syn-flood']);
  assert.ok(daemon.uptimeSeconds >= 0 && daemon.uptimeSeconds < 60, String(daemon.uptimeSeconds));
  const text = await run(['status', '--interval', '0', '--config', cfg, '--state-dir', dir]);
  assert.match(text.stdout.split('\n')[0] ?? '', new RegExp(`^daemon: running \\(pid ${process.pid}, up \\d+s, no tick yet\\), under attack \\(syn-flood\\), backend nftables, 1 active ban, hardening held \\(1 sysctl\\), state ${dir}$`));

  // The last tick's age, from the mark the daemon touches after each tick; 30 s at 1 s ticks reads as stalled.
  const { markTick } = await import('../store/pidfile.js');
  markTick(dir, now - 30_000);
  const aged = await run(['status', '--json', '--interval', '0', '--config', cfg, '--state-dir', dir]);
  const age = (JSON.parse(aged.stdout) as { daemon: { lastTickSeconds: number } }).daemon.lastTickSeconds;
  assert.ok(age >= 30 && age < 90, String(age));
  const stalled = await run(['status', '--interval', '0', '--config', cfg, '--state-dir', dir]);
  assert.match(stalled.stdout.split('\n')[0] ?? '', /, last tick \d+(\.\d)?s ago \(STALLED\?\)\), under attack \(syn-flood\), backend/);
});
