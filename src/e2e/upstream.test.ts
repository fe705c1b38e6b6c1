// End to end: `synguard run` in the victim namespace escalates to a real BGP router (BIRD 2 in the router namespace)
// through a real ExaBGP, when a bounded SYN flood really saturates the victim's shaped uplink.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { exec } from '../core/exec.js';
import { synFlood } from '../lab/attacks.js';
import { ROUTED, shapeUplink, startBird, withRoutedLab, type Bird, type RoutedLab } from '../lab/router.js';
import { setSysctls, startVictimServer } from '../lab/victim.js';
import { openStore } from '../store/index.js';
import { startDaemon } from '../testing/json-lines.js';
import { tempDir } from '../testing/temp.js';
import { wallClock } from '../testing/clock.js';
import { FLOODS, needs } from '../testing/needs.js';


const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const PORT = 8080;

function writeConfig(lab: RoutedLab, over: { ownNetworks?: readonly string[]; exabgp?: string; enabled?: boolean; file?: string } = {}): string {
  const file = over.file ?? join(tempDir('sg-up-conf-'), 'config.yaml');
  writeFileSync(file, JSON.stringify({
    http: { enabled: false },
    upstream: {
      enabled: over.enabled ?? true, interface: lab.uplink, capacityMbps: 1, ownNetworks: over.ownNetworks ?? ROUTED.ownNetworks,
      saturation: { enter: 0.75, exit: 0.4, confirm: '2s', calm: '5s' },
      steps: {
        rateLimit: { holdDown: '3s', maxDuration: '10m', bytesPerSecond: 6400 },
        discard: { holdDown: '3s', maxDuration: '10m' },
        rtbh: { enabled: true, holdDown: '3s', maxDuration: '10m' },
      },
      bgp: { ...(over.exabgp ? { exabgp: over.exabgp } : {}), peer: ROUTED.routerToVictim.v4, peerAs: ROUTED.routerAs, localAs: ROUTED.victimAs, localAddress: ROUTED.victimLink.v4 },
    },
  }));
  return file;
}

/** Polls BIRD until its routes satisfy `pred`; returns that output. */
async function birdUntil(bird: Bird, pred: (routes: string) => boolean, what: string, ms = 40_000): Promise<string> {
  let last = '';
  for (const start = wallClock(); wallClock() - start < ms; await sleep(250)) {
    last = await bird.routes();
    if (pred(last)) return last;
  }
  throw new Error(`BIRD never showed ${what}; last output:\n${last}`);
}

const svc = ROUTED.service.v4;
const FLOW = `flow4 { dst ${svc}/32; proto 6; dport ${PORT}; tcp flags !0x0/0x2; }`;
const count = (text: string, needle: string): number => text.split(needle).length - 1;
/** rate-limit 6400 bytes/s as BIRD prints the traffic-rate extended community (float 6400 = 0x45c80000). */
const RATE_LIMIT = '(generic, 0x80060000, 0x45c80000)';
const DISCARD = '(generic, 0x80060000, 0x0)';
const RTBH = `${svc}/32`;

async function victimReady(lab: RoutedLab) {
  await setSysctls(lab.victim, { 'net.ipv4.tcp_syncookies': 1 });
  await shapeUplink(lab, '1mbit');
  return startVictimServer(lab.victim, { port: PORT, backlog: 511 });
}

test('a saturating flood escalates rate-limit → discard → RTBH in BIRD; kill -9 and restart reconcile; all withdrawn after', needs([...FLOODS, 'tc', 'bird', 'birdc', 'exabgp'], async () => {
  await withRoutedLab(async (lab) => {
    const bird = await startBird(lab);
    const server = await victimReady(lab);
    const stateDir = tempDir('sg-up-state-');
    const config = writeConfig(lab);
    let d = startDaemon(lab.victim, stateDir, ['--config', config]);
    try {
      await d.waitFor((l) => l.event === 'exabgp-started');
      await birdUntil(bird, () => true, 'anything'); // the session comes up with nothing announced
      // ~4000 spoofed SYNs/s of 54 bytes ≈ 1.7 Mbit/s into a 1 Mbit/s uplink, for at most 30 s.
      const t0 = wallClock();
      const at = (label: string) => console.log(`${label}: ${((wallClock() - t0) / 1000).toFixed(1)} s after the flood started`);
      const flood = synFlood(lab.attacker, { target: svc, port: PORT, pps: 4000, maxPackets: 120_000, durationS: 30, spoofCidr: '198.19.0.0/16' });
      const rate = await birdUntil(bird, (r) => r.includes(FLOW) && r.includes(RATE_LIMIT), 'the FlowSpec rate-limit');
      at('FlowSpec rate-limit in BIRD');
      const saturated = d.lines.find((l) => l.event === 'uplink-saturated');
      assert.ok(saturated, 'the daemon said the uplink is saturated');
      const discard = await birdUntil(bird, (r) => r.includes(FLOW) && r.includes(DISCARD), 'the FlowSpec discard');
      at('FlowSpec discard in BIRD');
      assert.equal(count(discard, 'flow4 {'), 1, 'the discard replaced the rate-limit: one FlowSpec rule');
      const rtbh = await birdUntil(bird, (r) => r.includes(RTBH) && r.includes('(65535,666)'), 'the RTBH route with (65535,666)');
      at('RTBH (65535,666) in BIRD');
      console.log(`BIRD, FlowSpec rate-limit step:\n${rate}`);
      console.log(`BIRD, discard + RTBH steps:\n${rtbh}`);

      // kill -9 mid-escalation: ExaBGP goes down with synguard, the session closes, the router forgets everything.
      d.child.kill('SIGKILL');
      await d.exited;
      await birdUntil(bird, (r) => !r.includes('flow4 {') && !r.includes(RTBH), 'the routes gone after synguard died', 20_000);
      at('routes gone from BIRD after kill -9');
      const openBefore = openStore(stateDir);
      const kept = openBefore.announcements.open().map((r) => r.kind);
      openBefore.close();
      assert.deepEqual(kept.sort(), ['flowspec-discard', 'rtbh'], 'the store still says what is due');

      // Restart while the flood goes on: what is due comes back once, nothing is duplicated.
      d = startDaemon(lab.victim, stateDir, ['--config', config]);
      await d.waitFor((l) => l.event === 'upstream-start' && l['due'] === 2);
      const again = await birdUntil(bird, (r) => r.includes(FLOW) && r.includes(DISCARD) && r.includes('(65535,666)'), 'the routes re-announced');
      at('routes back in BIRD after the restart');
      assert.equal(count(again, 'flow4 {'), 1);
      assert.equal(count(again, `${RTBH} `), 1);
      console.log(`BIRD after kill -9 and restart:\n${again}`);

      await flood;
      at('flood over');
      const held = await bird.routes();
      assert.ok(held.includes(FLOW) && held.includes('(65535,666)'), `the session held through the flood: the routes are still in BIRD\n${held}`);
      // Calm for 5 s (and the hold-downs passed): everything is withdrawn, by decision.
      await d.waitFor((l) => l.event === 'uplink-calm', { ms: 40_000, what: 'the uplink calm again' });
      const after = await birdUntil(bird, (r) => !r.includes('flow4 {') && !r.includes(RTBH), 'the routes withdrawn after the attack', 40_000);
      at('everything withdrawn');
      console.log(`BIRD after the attack:\n${after}`);
      const store = openStore(stateDir);
      const all = store.announcements.history();
      store.close();
      assert.equal(all.filter((r) => r.endedAt === null).length, 0, 'nothing left open');
      assert.deepEqual(all.map((r) => `${r.kind} ${r.endKind ?? 'open'}`).reverse(),
        ['flowspec-rate-limit superseded', 'flowspec-discard withdrawn', 'rtbh withdrawn'], 'one record each, no duplicates');
    } finally {
      d.child.kill('SIGKILL');
      await d.exited;
      await server.stop();
      await bird.stop();
    }
  });
}));

test('an attacked address outside the own networks is never announced; a missing ExaBGP is one clear error', needs([...FLOODS, 'tc', 'bird', 'birdc', 'exabgp'], async () => {
  await withRoutedLab(async (lab) => {
    const bird = await startBird(lab);
    const server = await victimReady(lab);
    const stateDir = tempDir('sg-up-state-');
    let d = startDaemon(lab.victim, stateDir, ['--config', writeConfig(lab, { ownNetworks: ['198.18.103.0/24'] })]);
    try {
      await d.waitFor((l) => l.event === 'exabgp-started');
      const flood = synFlood(lab.attacker, { target: svc, port: PORT, pps: 4000, maxPackets: 40_000, durationS: 10, spoofCidr: '198.19.0.0/16' });
      const refused = await d.waitFor((l) => l.event === 'upstream-refused');
      assert.match(String(refused['reason']), /198\.18\.102\.10 is outside upstream\.ownNetworks/);
      await flood;
      const routes = await bird.routes();
      assert.doesNotMatch(routes, /flow4 \{|198\.18\.102/, 'nothing announced');
      const cli = await exec(process.execPath, [CLI, 'upstream', 'announce', svc, '--state-dir', stateDir, '--config', writeConfig(lab, { ownNetworks: ['198.18.103.0/24'] })], { netns: lab.victim });
      assert.equal(cli.exitCode, 2);
      assert.match(cli.stderr, /198\.18\.102\.10\/32 is outside upstream\.ownNetworks/);
      const store = openStore(stateDir);
      assert.equal(store.announcements.history().length, 0);
      store.close();
      d.child.kill('SIGTERM');
      await d.exited;

      d = startDaemon(lab.victim, stateDir, ['--config', writeConfig(lab, { exabgp: '/nonexistent/exabgp' })]);
      const failed = await d.waitFor((l) => l.event === 'exabgp-failed');
      assert.match(String(failed['error']), /\/nonexistent\/exabgp is not installed/);
      // Later events, not a sleep: each SIGHUP is answered by a `reload` at the start of a new tick, so three of them
      // mean the daemon kept ticking (the upstream controller with it) after the failure.
      for (let i = 1; i <= 3; i++) {
        const from = d.lines.length;
        d.child.kill('SIGHUP');
        await d.waitFor((l) => l.event === 'reload', { from, ms: 10_000, what: `reload ${i} after the failure` });
      }
      assert.equal(d.child.exitCode, null, 'the daemon keeps running: host-level defence carries on');
      assert.equal(d.lines.filter((l) => l.event === 'exabgp-failed').length, 1, 'one error, not one per tick');
    } finally {
      d.child.kill('SIGKILL');
      await d.exited;
      await server.stop();
      await bird.stop();
    }
  });
}));

test('upstream switched on by SIGHUP; a BGP session that drops (the router restarts) comes back with every announcement', needs([...FLOODS, 'tc', 'bird', 'birdc', 'exabgp'], async () => {
  await withRoutedLab(async (lab) => {
    let bird = await startBird(lab);
    const stateDir = tempDir('sg-up-state-');
    const config = writeConfig(lab, { enabled: false });
    const d = startDaemon(lab.victim, stateDir, ['--config', config]);
    try {
      await d.waitFor((l) => l.event === 'reconcile');
      writeConfig(lab, { file: config });
      d.child.kill('SIGHUP');
      await d.waitFor((l) => l.event === 'upstream-reloaded');
      await d.waitFor((l) => l.event === 'exabgp-started');
      const announce = await exec(process.execPath, [CLI, 'upstream', 'announce', svc, '--kind', 'rtbh', '--for', '10m', '--state-dir', stateDir, '--config', config], { netns: lab.victim });
      assert.equal(announce.exitCode, 0, announce.stderr);
      await birdUntil(bird, (r) => r.includes(RTBH) && r.includes('(65535,666)'), 'the manual RTBH route');
      await bird.stop();
      bird = await startBird(lab);
      const back = await birdUntil(bird, (r) => r.includes(RTBH) && r.includes('(65535,666)'), 'the RTBH route after the session came back', 60_000);
      assert.equal(count(back, `${RTBH} `), 1);
    } finally {
      d.child.kill('SIGKILL');
      await d.exited;
      await bird.stop();
    }
  });
}));

