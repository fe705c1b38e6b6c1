// End to end: the dashboard in real headless Chromium (Debian's package, driven by playwright-core) against the real
// daemon in a lab victim namespace. The browser runs in that namespace too (the daemon listens on its 127.0.0.1):
// dashboard-driver.js is spawned there and answers JSON lines.
//   DASHBOARD_SCREENSHOT=docs/dashboard.png node --test dist/e2e/dashboard.test.js   regenerates the docs picture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { withLab } from '../lab/topology.js';
import { setSysctls, startVictimServer } from '../lab/victim.js';
import { synFlood } from '../lab/attacks.js';
import { TOKEN_FILE } from '../http/token.js';
import { startDaemon } from '../testing/json-lines.js';
import { seedBans, startDriver, type Sample } from './dashboard-session.js';
import { wallClock } from '../testing/clock.js';
import { FLOODS, needs } from '../testing/needs.js';

const PORT = 8080;
const FLOOD_KINDS = ['syn-flood', 'spoofed-syn-flood', 'cookies-coping', 'connection-flood'];

type Daemon = ReturnType<typeof startDaemon>;
type Driver = ReturnType<typeof startDriver>;

async function stop(p: { child: { kill(sig: NodeJS.Signals): boolean }; exited: Promise<number | null> }): Promise<void> {
  p.child.kill('SIGKILL');
  await p.exited;
}

test('during a lab flood the page shows the verdict, a rising SYN_RECV chart and the ban, with no console error', needs([...FLOODS, 'chromium'], async () => {
  const shots = mkdtempSync(join(tmpdir(), 'sg-dash-shot-'));
  await withLab({ attackers: 2 }, async (lab) => {
    await setSysctls(lab.victim.ns, { 'net.ipv4.tcp_syncookies': 1 });
    const server = await startVictimServer(lab.victim.ns, { port: PORT, backlog: 256 });
    const stateDir = mkdtempSync(join(tmpdir(), 'sg-e2e-dash-'));
    const d: Daemon = startDaemon(lab.victim.ns, stateDir);
    let drv: Driver | null = null;
    try {
      await d.waitFor((l) => l.event === 'http' && typeof l['listen'] === 'string');
      await d.waitFor((l) => l.event === 'reconcile');
      drv = startDriver(lab.victim.ns);
      const ready = (await drv.waitFor((l) => l.event === 'ready', { ms: 60_000 }))['sample'] as Sample;
      assert.equal(ready.state, 'live');
      assert.equal(ready.canvases >= 2, true, 'both charts are drawn');
      assert.ok(ready.synrecvMax < 20, `calm before the flood: ${ready.synrecvMax}`);

      // A flood from one real source: the daemon names it and bans it.
      const [a0, a1] = [lab.attackers[0]!, lab.attackers[1]!];
      const samples: Sample[] = [];
      const flood1 = synFlood(a0, { target: lab.victim.v4[0]!, port: PORT, pps: 2000, maxPackets: 12_000, durationS: 6 });
      await d.waitFor((l) => l.event === 'ban' && l['value'] === `${a0.v4[0]}/32`);
      for (let i = 0; i < 6; i++) { samples.push(await drv.sample()); await sleep(500); }
      await flood1;
      // Then a spoofed flood (many forged sources): cookies carry it, nobody is banned for it.
      const flood2 = synFlood(a1, { target: lab.victim.v4[0]!, port: PORT, pps: 3000, maxPackets: 30_000, durationS: 10, spoofCidr: '198.19.0.0/16' });
      for (let i = 0; i < 12; i++) { samples.push(await drv.sample()); await sleep(500); }
      const shotPath = join(shots, 'dashboard.png');
      const shot = (await drv.send({ cmd: 'shot', path: shotPath }, 'shot'))['sample'] as Sample;
      await flood2;

      const flooded = samples.filter((s) => FLOOD_KINDS.includes(s.kind ?? ''));
      assert.ok(flooded.length > 0, `the verdict names the flood: ${samples.map((s) => s.kind).join(', ')}`);
      assert.ok(flooded.every((s) => s.verdictText !== '' && s.summary.length > 10), 'a verdict with its summary');
      const peak = Math.max(...samples.map((s) => s.synrecvMax));
      assert.ok(peak >= 50 && peak > ready.synrecvMax + 40, `SYN_RECV rises on the chart: ${ready.synrecvMax} -> ${peak}`);
      assert.ok(ready.synrecvLast < 20 && samples.some((s) => s.synrecvLast >= 50),
        `the newest point climbs during the flood: ${ready.synrecvLast} -> ${samples.map((s) => s.synrecvLast).join(', ')}`);
      assert.ok(samples[samples.length - 1]!.points > ready.points, 'points are added as the stream goes');
      assert.ok(samples.some((s) => s.firstBan === `${a0.v4[0]}/32`), `the ban is listed: ${samples.map((s) => s.firstBan).join(', ')}`);
      assert.ok(samples.some((s) => s.attack !== null), 'the attack badge shows while an attack is open');
      // The kernel meter dropped the real source first: its panel names it, dropped and unproven, and the ban says so.
      assert.deepEqual(ready.senders, [], 'no meter panel while nothing is metered');
      const meterRow = new RegExp(`^${a0.v4[0]!.replaceAll('.', '\\.')} [\\d,]+ no yes$`);
      assert.ok(samples.some((s) => s.senders.some((r) => meterRow.test(r))), `the meter panel lists the flooder as dropped: ${samples.map((s) => s.senders.join(' | ')).join(' / ')}`);
      assert.ok(samples.some((s) => s.firstBan === `${a0.v4[0]}/32` && s.banOrigin === 'kernel'), `a kernel-made ban: ${samples.map((s) => s.banOrigin).join(', ')}`);
      assert.ok(shot.timeline > 0, 'the timeline lists decisions');
      assert.ok(existsSync(shotPath) && statSync(shotPath).size > 20_000, 'a screenshot was saved');

      const done = await drv.send({ cmd: 'done' }, 'done');
      assert.deepEqual(done['consoleErrors'], [], 'no console error or warning');
      const docs = process.env['DASHBOARD_SCREENSHOT'];
      if (docs) copyFileSync(shotPath, resolve(docs));
    } finally {
      if (drv) await stop(drv);
      await stop(d);
      await server.stop();
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
  rmSync(shots, { recursive: true, force: true });
}));

test('with 100k active bans the page lists one page, newest first, pages on, and unbans with the token', needs([...FLOODS, 'chromium'], async () => {
  const N = 100_000;
  const stateDir = mkdtempSync(join(tmpdir(), 'sg-e2e-dash-bans-'));
  seedBans(stateDir, N, wallClock());
  const newest = `198.19.${((N - 1) >> 8) & 255}.${(N - 1) & 255}/32`;
  await withLab({ attackers: 1 }, async (lab) => {
    // dry-run: the store is the subject here, not 100k kernel set elements
    const d: Daemon = startDaemon(lab.victim.ns, stateDir, ['--dry-run']);
    let drv: Driver | null = null;
    try {
      await d.waitFor((l) => l.event === 'http' && typeof l['listen'] === 'string', { ms: 60_000 });
      drv = startDriver(lab.victim.ns);
      const ready = (await drv.waitFor((l) => l.event === 'ready', { ms: 90_000 }))['sample'] as Sample;
      assert.equal(ready.bansRows, 50, 'one page, never the whole list');
      assert.equal(ready.bansTotal, '100,000 in all');
      assert.equal(ready.firstBan, newest, 'newest first');
      assert.equal(ready.bansPage, 'page 1 of 2,000');

      await drv.send({ cmd: 'click', selector: '#bans-next' }, 'clicked');
      let s = await drv.sample();
      for (let i = 0; i < 40 && s.bansPage !== 'page 2 of 2,000'; i++) { await sleep(100); s = await drv.sample(); }
      assert.equal(s.bansPage, 'page 2 of 2,000');
      const second = s.firstBan;
      assert.notEqual(second, newest);

      // Unban the first row of page 2: the page asks for the token once, then sends it.
      await drv.send({ cmd: 'click', selector: '#bans tbody tr:first-child button' }, 'clicked');
      s = await drv.sample();
      assert.equal(s.tokenForm, true, 'the token is asked for');
      await drv.send({ cmd: 'fill', selector: '#token-input', value: readFileSync(join(stateDir, TOKEN_FILE), 'utf8').trim() }, 'filled');
      await drv.send({ cmd: 'click', selector: '#token-form button[type=submit]' }, 'clicked');
      for (let i = 0; i < 50 && s.bansTotal !== '99,999 in all'; i++) { await sleep(100); s = await drv.sample(); }
      assert.equal(s.bansTotal, '99,999 in all');
      assert.notEqual(s.firstBan, second, 'the unbanned row is gone');
      assert.equal(s.bansMessage, null);

      const done = await drv.send({ cmd: 'done' }, 'done');
      assert.deepEqual(done['consoleErrors'], []);
    } finally {
      if (drv) await stop(drv);
      await stop(d);
    }
  });
  rmSync(stateDir, { recursive: true, force: true });
}));
