// End to end, under faults: the real daemon in a lab victim namespace, its state directory on a small tmpfs that the
// test fills. A flood that starts after the disk filled is banned in the kernel; the ban reaches the store once there
// is room again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { exec, execOrThrow } from '../core/exec.js';
import { canConnect } from '../testing/connect-probe.js';
import { withLab } from '../lab/topology.js';
import { setSysctls, startVictimServer } from '../lab/victim.js';
import { synFlood } from '../lab/attacks.js';
import { startDaemon } from '../testing/json-lines.js';
import { tempDir } from '../testing/temp.js';
import { wallClock } from '../testing/clock.js';
import { FLOODS, needs } from '../testing/needs.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const PORT = 8080;

/** A 2 MiB tmpfs on a fresh temp directory, unmounted (lazily, whatever still holds it) afterwards. */
async function withTinyDisk(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = tempDir('sg-e2e-full-');
  await execOrThrow('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'synguard-test', dir]);
  try {
    await fn(dir);
  } finally {
    await exec('umount', ['-l', dir]);
  }
}

/** Writes zeros until the file system refuses: ENOSPC. */
function fillDisk(path: string): void {
  try {
    writeFileSync(path, Buffer.alloc(4 * 1024 * 1024));
  } catch (err) {
    assert.equal((err as NodeJS.ErrnoException).code, 'ENOSPC');
    return;
  }
  assert.fail('the tmpfs took 4 MiB');
}

async function storedBans(ns: string, state: string): Promise<string[]> {
  const out = await exec(process.execPath, [CLI, 'bans', '--json', '--state-dir', state], { netns: ns });
  assert.equal(out.exitCode, 0, out.stderr);
  return (JSON.parse(out.stdout) as Array<{ value: string }>).map((b) => b.value).sort();
}

// Which writes fail first on a disk that fills while the daemon runs depends on how much of the WAL file SQLite can
// reuse; the test asks for what must hold whichever it was. The restart test below starts on a full disk, where
// every write fails.
test('disk full: a flood that starts after the state disk filled is banned in the kernel; the ban is stored once there is room', needs([...FLOODS, 'mount', 'umount'], async () => {
  await withLab({ attackers: 1 }, (lab) => withTinyDisk(async (state) => {
    await setSysctls(lab.victim.ns, { 'net.ipv4.tcp_syncookies': 1 });
    const server = await startVictimServer(lab.victim.ns, { port: PORT, backlog: 511 });
    const d = startDaemon(lab.victim.ns, state);
    try {
      await d.waitFor((l) => l.event === 'reconcile');
      fillDisk(join(state, 'fill'));
      const attacker = lab.attackers[0]!;
      const value = `${attacker.v4[0]}/32`;
      const started = wallClock();
      const flood = synFlood(attacker, { target: lab.victim.v4[0]!, port: PORT, pps: 2000, maxPackets: 12_000, durationS: 6 });
      const ban = await d.waitFor((l) => l.event === 'ban' && l.value === value);
      const banMs = Date.parse(String(ban['time'])) - started;
      await d.waitFor((l) => l.event === 'commit');
      await flood;
      const nft = (await exec('nft', ['list', 'set', 'inet', 'synguard', 'ban4'], { netns: lab.victim.ns })).stdout;
      assert.match(nft, new RegExp(attacker.v4[0]!.replaceAll('.', '\\.')), 'in the kernel while the disk is full');
      assert.ok(!(await canConnect(attacker.ns, attacker.v4[0]!, lab.victim.v4[0]!, PORT)), 'the attacker is blocked');
      const unwritable = d.lines.filter((l) => l.event === 'store-unwritable');
      assert.equal(unwritable.length, 1, 'said once');
      assert.match(String(unwritable[0]?.['error']), /SQLITE_FULL|ENOSPC|SQLITE_IOERR/);
      assert.equal(d.lines.filter((l) => l.event === 'tick-failed').length, 0, 'no tick failed');

      rmSync(join(state, 'fill'));
      await d.waitFor((l) => l.event === 'store-writable', { ms: 15_000 });
      assert.deepEqual(await storedBans(lab.victim.ns, state), [value], 'the ban reached the store');
      assert.equal(d.child.exitCode, null, 'the daemon stayed up');
      console.log(`# disk full: flood start to kernel ban ${banMs} ms`);
    } finally {
      d.child.kill('SIGKILL');
      await d.exited;
      await server.stop();
    }
  }));
}));

test('restart while the disk is full: the daemon starts on the file as it is, bans are held, a kill -9 loses none from the kernel, and they are stored once there is room', needs([...FLOODS, 'mount', 'umount'], async () => {
  await withLab({ attackers: 1 }, (lab) => withTinyDisk(async (state) => {
    await setSysctls(lab.victim.ns, { 'net.ipv4.tcp_syncookies': 1 });
    const server = await startVictimServer(lab.victim.ns, { port: PORT, backlog: 511 });
    const daemons: Array<ReturnType<typeof startDaemon>> = [];
    const start = () => { const d = startDaemon(lab.victim.ns, state); daemons.push(d); return d; };
    try {
      const first = start();
      await first.waitFor((l) => l.event === 'reconcile');
      first.child.kill('SIGTERM');
      await first.exited;
      fillDisk(join(state, 'fill'));

      const full = start();
      await full.waitFor((l) => l.event === 'store-unwritable', { what: 'the start-up write probe failing' });
      await full.waitFor((l) => l.event === 'reconcile');
      const attacker = lab.attackers[0]!;
      const value = `${attacker.v4[0]}/32`;
      const flood = synFlood(attacker, { target: lab.victim.v4[0]!, port: PORT, pps: 2000, maxPackets: 12_000, durationS: 6 });
      await full.waitFor((l) => l.event === 'ban' && l.value === value);
      await full.waitFor((l) => l.event === 'commit');
      await flood;
      assert.deepEqual(await storedBans(lab.victim.ns, state), [], 'held in memory, not on disk');
      full.child.kill('SIGKILL');
      await full.exited;

      const again = start();
      const rec = await again.waitFor((l) => l.event === 'reconcile');
      assert.equal(rec['removed'], 0, 'the kernel\'s ban is adopted, not removed');
      const nft = (await exec('nft', ['list', 'set', 'inet', 'synguard', 'ban4'], { netns: lab.victim.ns })).stdout;
      assert.match(nft, new RegExp(attacker.v4[0]!.replaceAll('.', '\\.')));
      rmSync(join(state, 'fill'));
      await again.waitFor((l) => l.event === 'store-writable', { ms: 15_000 });
      assert.deepEqual(await storedBans(lab.victim.ns, state), [value], 'stored once there is room');
    } finally {
      for (const d of daemons) { d.child.kill('SIGKILL'); await d.exited; }
      await server.stop();
    }
  }));
}));

test('SIGHUP storm under attack: 50 reloads in a second while a flood runs; the flood is banned, the daemon stays up', needs(FLOODS, async () => {
  await withLab({ attackers: 1 }, async (lab) => {
    await setSysctls(lab.victim.ns, { 'net.ipv4.tcp_syncookies': 1 });
    const server = await startVictimServer(lab.victim.ns, { port: PORT, backlog: 511 });
    const d = startDaemon(lab.victim.ns, tempDir('sg-e2e-hup-'));
    try {
      await d.waitFor((l) => l.event === 'reconcile');
      const attacker = lab.attackers[0]!;
      const flood = synFlood(attacker, { target: lab.victim.v4[0]!, port: PORT, pps: 2000, maxPackets: 12_000, durationS: 6 });
      for (let i = 0; i < 50; i++) {
        d.child.kill('SIGHUP');
        await sleep(20);
      }
      await d.waitFor((l) => l.event === 'ban' && l.value === `${attacker.v4[0]}/32`);
      await flood;
      assert.equal(d.child.exitCode, null, 'still running');
      assert.ok(d.lines.some((l) => l.event === 'reload'), 'reloads happened');
      assert.equal(d.lines.filter((l) => l.event === 'reload-failed' || l.event === 'tick-failed').length, 0);
      assert.ok(!(await canConnect(attacker.ns, attacker.v4[0]!, lab.victim.v4[0]!, PORT)), 'the attacker is blocked');
    } finally {
      d.child.kill('SIGKILL');
      await d.exited;
      await server.stop();
    }
  });
}));
