// `synguard lab` from the outside: bad input exits 2 with one line and creates nothing; down, SIGINT and non-root behave.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exec, spawnLong } from '../core/exec.js';
import { listNs } from './netns.js';
import { listLeftovers } from './leftovers.js';
import { claimRun, releaseRun } from './owners.js';
import { FLOODS, LAB, needs } from '../testing/needs.js';
import { tempDir } from '../testing/temp.js';

const main = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const cli = (...args: string[]): ReturnType<typeof exec> => exec(process.execPath, [main, 'lab', ...args], { timeoutMs: 60_000 });
const labNs = async (): Promise<string[]> => (await listNs()).filter((n) => n.startsWith('sgl-'));

test('bad input: one line on stderr, exit 2, nothing created', needs(LAB, async () => {
  const before = await labNs();
  const bad = join(tempDir('sgl-bad-'), 'bad.yaml');
  writeFileSync(bad, 'description: x\ndurationS: 10\nvictim: { backlog: 64 }\nattacks: [{ kind: syn-flood, startS: 1, stopS: 5, pps: fast, maxPackets: 10 }]\n');
  for (const [args, re] of [
    [['run', 'no-such-scenario'], /unknown scenario "no-such-scenario" \(known: baseline/],
    [['run', bad], /field attacks\[0\]\.pps/],
    [['run', 'baseline', '--scale', '7'], /--scale expects/],
    [['run', 'baseline', '--sysctl', 'nonsense'], /--sysctl expects KEY=VALUE/],
  ] as const) {
    const r = await cli(...args);
    assert.equal(r.exitCode, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  assert.deepEqual(await labNs(), before);
}));

test('not root: a clear message and exit 2', needs(['root', 'setpriv'], async () => {
  const r = await exec('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, main, 'lab', 'run', 'baseline']);
  assert.equal(r.exitCode, 2, r.stderr);
  assert.match(r.stderr, /run it as root/);
}));

test('lab list names every shipped scenario', async () => {
  const r = await cli('list');
  assert.equal(r.exitCode, 0);
  for (const n of ['baseline', 'spoofed-syn', 'concentrated-syn-v6', 'rotating-v6', 'connection-flood', 'mixed', 'trickle', 'busy-proxy', 'mixed-cookies', 'late-attacker']) assert.match(r.stdout, new RegExp(`^${n} `, 'm'));
});

test('lab down removes leftovers of dead runs but never a live run', needs(LAB, async () => {
  const stale = 'sgl-dead00-victim';
  const live = 'sgl-11fe00-victim';
  await exec('ip', ['netns', 'add', stale]);
  await exec('ip', ['netns', 'add', live]);
  claimRun('11fe00'); // owned by this (live) test process
  try {
    const r = await cli('down');
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /netns sgl-dead00-victim/);
    const names = await listNs();
    assert.ok(!names.includes(stale));
    assert.ok(names.includes(live), 'a live run is left alone');
  } finally {
    await exec('ip', ['netns', 'del', live]);
    await exec('ip', ['netns', 'del', stale]);
    releaseRun('11fe00');
  }
}));

// Ctrl-C, a kill, and the terminal gone (an SSH session dropped sends SIGHUP).
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) test(`${signal} during a run tears the lab down`, { timeout: 60_000 }, needs(FLOODS, async () => {
  const before = new Set(await labNs());
  const { child, exited } = spawnLong(process.execPath, [main, 'lab', 'run', 'spoofed-syn', '--short', '--out', join(tempDir('sgl-sigint-'), 'run')]);
  let mine: string[] = [];
  for (let i = 0; i < 100 && mine.length < 3; i++) {
    await new Promise((r) => setTimeout(r, 100));
    mine = (await labNs()).filter((n) => !before.has(n));
  }
  assert.ok(mine.length >= 3, `the run created its namespaces: ${mine.join(', ')}`);
  await new Promise((r) => setTimeout(r, 2500)); // mid-flood
  child.kill(signal);
  assert.equal(await exited, null, 'it ends by the signal, after its teardown');
  const id = /^sgl-([0-9a-f]{6})-/.exec(mine[0] ?? '')?.[1];
  assert.ok(id);
  assert.deepEqual(await listLeftovers({ id }), []);
}));

/** Starts a short spoofed-syn run and reads its first progress line, which names the lab's id. */
async function startRun(tag: string): Promise<{ id: string; child: ReturnType<typeof spawnLong>['child']; exited: Promise<number | null> }> {
  const { child, exited } = spawnLong(process.execPath, [main, 'lab', 'run', 'spoofed-syn', '--short', '--out', join(tempDir(`sgl-${tag}-`), 'run')]);
  const text = await new Promise<string>((resolve) => {
    let seen = '';
    child.stderr!.on('data', (d: Buffer) => { seen += String(d); if (seen.includes('\n')) resolve(seen); });
    child.once('exit', () => resolve(seen));
  });
  const id = /lab ([0-9a-f]{6}) up/.exec(text)?.[1];
  assert.ok(id, `its first line names the lab: ${text}`);
  return { id, child, exited };
}

// `synguard lab run X 2>&1 | head -1`: the reader leaves after one line, and the run's next line meets a closed pipe.
test('its reader gone (`2>&1 | head -1`): the lab is torn down, exit 0', { timeout: 60_000 }, needs(FLOODS, async () => {
  const { id, child, exited } = await startRun('epipe');
  child.stdout!.destroy();
  child.stderr!.destroy();
  assert.equal(await exited, 0);
  assert.deepEqual(await listLeftovers({ id }), []);
}));

// Ctrl-C on `synguard lab run X 2>&1 | tee log` ends the reader too: the teardown's own line meets a closed pipe.
test('Ctrl-C on a pipeline (reader and run both interrupted): the lab is torn down', { timeout: 60_000 }, needs(FLOODS, async () => {
  const { id, child, exited } = await startRun('pipeline');
  child.stdout!.destroy();
  child.stderr!.destroy();
  child.kill('SIGINT');
  assert.equal(await exited, null, 'it ends by the signal, after its teardown');
  assert.deepEqual(await listLeftovers({ id }), []);
}));

test('--sysctl is repeatable, one KEY=VALUE each: the scenario after it stays the scenario', async () => {
  const r = await cli('run', '--sysctl', 'tcp_syncookies=1', '--sysctl', 'somaxconn=4096', 'no-such-scenario');
  assert.equal(r.exitCode, 2, r.stderr);
  assert.match(r.stderr, /unknown scenario "no-such-scenario"/);
  const help = await cli('run', '--help');
  assert.match(help.stdout, /--sysctl <key=value>/);
});

test('--server and --client take only the known kinds: one line, exit 2; --help names them', async () => {
  const bad = await cli('run', 'baseline', '--server', 'bogus');
  assert.equal(bad.exitCode, 2, bad.stderr);
  assert.equal(bad.stderr.trim(), 'synguard: --server expects one of builtin, nginx, apache-prefork, got "bogus"');
  const client = await cli('run', 'baseline', '--client', 'curl');
  assert.equal(client.exitCode, 2, client.stderr);
  assert.match(client.stderr, /--client expects one of builtin, wrk, got "curl"/);
  const help = await cli('run', '--help');
  assert.match(help.stdout, /--server <kind>[\s\S]*--client <kind>/);
});
