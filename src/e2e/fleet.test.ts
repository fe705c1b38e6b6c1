// End to end: the fleet with Debian's real CrowdSec LAPI (1.4.6, `-no-cs`) and its real firewall bouncer (0.0.25),
// each in its own lab namespace. synguard on A publishes its bans (B's bouncer drops them), enforces the LAPI's
// decisions (a real /24 interval in its own sets), serves its bans to C's unmodified bouncer; and it survives a LAPI
// outage of 60 s, a kill -9 with a full queue, and wrong credentials, sending every ban exactly once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { exec } from '../core/exec.js';
import { canConnect } from '../testing/connect-probe.js';
import { synFlood } from '../lab/attacks.js';
import { setSysctls, startVictimServer } from '../lab/victim.js';
import { startDaemon } from '../testing/json-lines.js';
import { tempDir } from '../testing/temp.js';
import { wallClock } from '../testing/clock.js';
import { FLOODS, needs } from '../testing/needs.js';
import { bouncerSet, setupLapi, startBouncer, within, withFleetLab, type FleetLab } from './fleet-lab.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const PORT = 8080;
const TOOLS = [...FLOODS, 'crowdsec', 'cscli', 'crowdsec-firewall-bouncer'];
const MACHINE = { login: 'synguard-a', password: 'synguard-a-password' };
const PULL_KEY = 'synguard-a-pull-key-0001';

function config(lab: FleetLab, lapiUrl: string, over: { password?: string; apiKey?: string } = {}): string {
  const file = join(tempDir('sg-fleet-conf-'), 'config.yaml');
  writeFileSync(file, JSON.stringify({
    http: { enabled: true, listen: `${lab.a.v4}:9717`, bouncerStream: true },
    crowdsec: {
      url: lapiUrl,
      push: { login: MACHINE.login, password: over.password ?? MACHINE.password },
      pull: { apiKey: over.apiKey ?? PULL_KEY, every: '5s' },
    },
  }));
  return file;
}

const cli = (lab: FleetLab, ...args: string[]) => exec(process.execPath, [CLI, ...args], { netns: lab.a.ns, timeoutMs: 30_000 });
const synguardSet = async (lab: FleetLab, set: string) => (await exec('nft', ['list', 'set', 'inet', 'synguard', set], { netns: lab.a.ns })).stdout;

test('push, pull and serve with the real LAPI and firewall bouncer', needs(TOOLS, async () => {
  await withFleetLab(async (lab) => {
    const lapi = await setupLapi(lab.lapi, { [MACHINE.login]: MACHINE.password }, { 'synguard-a': PULL_KEY, 'fw-b': 'fw-b-key-000000000001' });
    await lapi.start();
    await setSysctls(lab.a.ns, { 'net.ipv4.tcp_syncookies': 1 });
    const serverA = await startVictimServer(lab.a.ns, { port: PORT, backlog: 511 });
    const serverB = await startVictimServer(lab.b.ns, { port: PORT, backlog: 511 });
    const serverC = await startVictimServer(lab.c.ns, { port: PORT, backlog: 511 });
    const stateDir = tempDir('sg-fleet-a-');
    const cKey = (await cli(lab, 'bouncers', 'add', 'fw-c', '--state-dir', stateDir)).stdout.trim();
    assert.match(cKey, /^[\w-]{32}$/);
    const d = startDaemon(lab.a.ns, stateDir, ['--config', config(lab, lapi.url)]);
    await d.waitFor((l) => l.event === 'http');
    // the bouncers give up if their API does not answer at their start: started once A's API listens
    const b = startBouncer(lab.b, lapi.url, 'fw-b-key-000000000001');
    const c = startBouncer(lab.c, `http://${lab.a.v4}:9717/`, cKey);
    try {
      await d.waitFor((l) => l.event === 'reconcile');
      assert.ok(await canConnect(lab.x.ns, lab.x.v4, lab.b.v4, PORT), 'X reaches B before any ban');

      // Push: a real-source SYN flood from X is banned on A; the LAPI has it within 5 s; B's bouncer drops X.
      const flood = synFlood({ ns: lab.x.ns, v4: [lab.x.v4], v6: [lab.x.v6] }, { target: lab.a.v4, port: PORT, pps: 2000, maxPackets: 12_000, durationS: 6 });
      await d.waitFor((l) => l.event === 'ban' && l.value === `${lab.x.v4}/32`, { ms: 20_000, what: 'the ban of X on A' });
      const toLapi = await within(5000, 'X in the LAPI\'s decisions', () => lapi.decisions('synguard').get(lab.x.v4) === 1);
      console.log(`push: X in the LAPI ${toLapi} ms after A banned it`);
      console.log(`cscli decisions list:\n${await lapi.cscli('decisions', 'list', '--all', '-o', 'json')}`);
      await flood;
      const toB = await within(15_000, 'X in B\'s bouncer set', async () => (await bouncerSet(lab.b)).includes(lab.x.v4));
      console.log(`push: X in B's nft set ${toLapi + toB} ms after the ban`);
      assert.equal(await canConnect(lab.x.ns, lab.x.v4, lab.b.v4, PORT), false, 'B drops X');
      assert.ok(await canConnect(lab.c.ns, lab.c.v4, lab.b.v4, PORT), 'B still serves others');

      // Serve: C's unmodified bouncer, pointed at A's own stream, enforces A's ban.
      await within(15_000, 'X in C\'s bouncer set (served by synguard)', async () => (await bouncerSet(lab.c)).includes(lab.x.v4))
        .catch((err: Error) => { throw new Error(`${err.message}; C's bouncer said: ${c.output()}`); });
      assert.equal(await canConnect(lab.x.ns, lab.x.v4, lab.c.v4, PORT), false, 'C drops X');

      // Unban on A lifts it in the LAPI, on B and on C.
      const unban = await cli(lab, 'unban', lab.x.v4, '--state-dir', stateDir);
      assert.equal(unban.exitCode, 0, unban.stderr);
      await within(5000, 'X withdrawn from the LAPI', () => !lapi.decisions('synguard').has(lab.x.v4));
      await within(15_000, 'X lifted on B', async () => !(await bouncerSet(lab.b)).includes(lab.x.v4));
      await within(15_000, 'X lifted on C', async () => !(await bouncerSet(lab.c)).includes(lab.x.v4));
      assert.ok(await canConnect(lab.x.ns, lab.x.v4, lab.b.v4, PORT), 'B lets X in again');

      // Pull: a range decided in the LAPI reaches A's kernel as a real interval, both families; delete lifts it.
      await lapi.cscli('decisions', 'add', '--range', '198.18.7.0/24', '--duration', '4h', '--reason', 'fleet e2e');
      await lapi.cscli('decisions', 'add', '--range', '2001:db8:7::/48', '--duration', '4h', '--reason', 'fleet e2e');
      const pulled = await within(15_000, '198.18.7.0/24 in A\'s kernel set', async () => (await synguardSet(lab, 'net4')).includes('198.18.7.0/24'))
        .catch(async (err: Error) => { throw new Error(`${err.message}; A said: ${JSON.stringify(d.lines.filter((l) => /crowdsec|error|fail/.test(String(l.event))))}; net4: ${await synguardSet(lab, 'net4')}`); });
      console.log(`pull: 198.18.7.0/24 in A's net4 ${pulled} ms after cscli decisions add`);
      await within(15_000, '2001:db8:7::/48 in A\'s kernel set', async () => (await synguardSet(lab, 'net6')).includes('2001:db8:7::/48'));
      // a real interval: an address inside the range matches the element (the firewall bouncer keeps only 198.18.7.0)
      const inner = await exec('nft', ['get', 'element', 'inet', 'synguard', 'net4', '{ 198.18.7.200 }'], { netns: lab.a.ns });
      assert.match(inner.stdout, /198\.18\.7\.0\/24/, inner.stderr);
      const bans = JSON.parse((await cli(lab, 'bans', '--json', '--state-dir', stateDir)).stdout) as Array<{ value: string; origin: string }>;
      assert.deepEqual(bans.filter((x) => x.origin === 'crowdsec').map((x) => x.value).sort(), ['198.18.7.0/24', '2001:db8:7::/48']);
      await lapi.cscli('decisions', 'delete', '--range', '198.18.7.0/24');
      await within(15_000, '198.18.7.0/24 lifted on A', async () => !(await synguardSet(lab, 'net4')).includes('198.18.7.0/24'));

      const status = JSON.parse((await cli(lab, 'fleet', 'status', '--json', '--state-dir', stateDir, '--config', config(lab, lapi.url))).stdout) as { push: { queue: { pending: number; sent: number } }; pull: { last: { ok: boolean } }; serve: { bouncers: Array<{ name: string; lastPull: number | null }> } };
      assert.equal(status.push.queue.pending, 0);
      assert.ok(status.push.queue.sent >= 2, 'a publish and a withdraw');
      assert.equal(status.pull.last.ok, true);
      assert.ok(status.serve.bouncers.find((x) => x.name === 'fw-c')?.lastPull, 'C pulled');
    } finally {
      for (const p of [d, b, c]) p.child.kill('SIGKILL');
      await Promise.all([d.exited, b.exited, c.exited]);
      await lapi.stop();
      await Promise.all([serverA.stop(), serverB.stop(), serverC.stop()]);
    }
  });
}));

test('faults: wrong credentials are one clear line each and the defence carries on; a 60 s LAPI outage and a kill -9 with a full queue lose nothing and send nothing twice', needs(TOOLS, async () => {
  await withFleetLab(async (lab) => {
    const lapi = await setupLapi(lab.lapi, { [MACHINE.login]: MACHINE.password }, { 'synguard-a': PULL_KEY });
    await lapi.start();
    // Wrong password and wrong key: one error line each (not one per retry), and bans still reach the kernel.
    const wrongState = tempDir('sg-fleet-wrong-');
    let d = startDaemon(lab.a.ns, wrongState, ['--config', config(lab, lapi.url, { password: 'not-the-password', apiKey: 'not-the-key-000000000' })]);
    try {
      await d.waitFor((l) => l.event === 'reconcile');
      const push = await d.waitFor((l) => l.event === 'crowdsec-push-failed', { what: 'the push error' });
      assert.match(String(push['error']), /^login refused for machine "synguard-a": check crowdsec.push.login and its password/);
      const pull = await d.waitFor((l) => l.event === 'crowdsec-pull-failed', { what: 'the pull error' });
      assert.match(String(pull['error']), /^the LAPI refused the bouncer key \(crowdsec.pull.apiKey\): .*HTTP 403/);
      assert.equal((await cli(lab, 'ban', '198.18.9.1', '--state-dir', wrongState)).exitCode, 0);
      await within(5000, 'a manual ban in A\'s kernel despite the LAPI refusing', async () => (await synguardSet(lab, 'ban4')).includes('198.18.9.1'));
      await sleep(6000); // several push retries and a pull later
      assert.equal(d.lines.filter((l) => l.event === 'crowdsec-push-failed').length, 1, 'one push error line');
      assert.equal(d.lines.filter((l) => l.event === 'crowdsec-pull-failed').length, 1, 'one pull error line');
    } finally {
      d.child.kill('SIGKILL');
      await d.exited;
    }

    const stateDir = tempDir('sg-fleet-fault-');
    const conf = config(lab, lapi.url);
    const ban = async (value: string) => assert.equal((await cli(lab, 'ban', value, '--state-dir', stateDir)).exitCode, 0);
    d = startDaemon(lab.a.ns, stateDir, ['--config', conf]);
    try {
      await d.waitFor((l) => l.event === 'reconcile');
      await lapi.stop();
      const down = wallClock();
      for (const v of ['198.18.9.11', '198.18.9.12', '2001:db8:9::13']) await ban(v);
      await within(5000, 'the bans in A\'s kernel while the LAPI is down', async () => (await synguardSet(lab, 'ban4')).includes('198.18.9.12'));
      await d.waitFor((l) => l.event === 'crowdsec-push-failed' && /ECONNREFUSED/.test(String(l['error'])), { what: 'the outage noticed' });
      await sleep(3000);
      d.child.kill('SIGKILL'); // with three bans queued
      await d.exited;
      const queued = JSON.parse((await cli(lab, 'fleet', 'status', '--json', '--state-dir', stateDir, '--config', conf)).stdout) as { push: { queue: { pending: number; sending: number } } };
      assert.equal(queued.push.queue.pending + queued.push.queue.sending, 3, 'the queue survived kill -9');
      d = startDaemon(lab.a.ns, stateDir, ['--config', conf]);
      await d.waitFor((l) => l.event === 'reconcile');
      for (const v of ['198.18.9.14', '2001:db8:9::15']) await ban(v);
      await sleep(Math.max(0, 60_000 - (wallClock() - down)));
      await lapi.start();
      const values = ['198.18.9.11', '198.18.9.12', '2001:db8:9::13', '198.18.9.14', '2001:db8:9::15'];
      const arrived = await within(30_000, 'every ban in the LAPI after its restart', () => values.every((v) => lapi.decisions('synguard').has(v)));
      console.log(`faults: all ${values.length} bans in the LAPI ${arrived} ms after it came back from a ${Math.round((wallClock() - down - arrived) / 1000)} s outage`);
      await d.waitFor((l) => l.event === 'crowdsec-push-recovered', { what: 'the recovery line' });
      await sleep(3000); // a few more push rounds: nothing more may arrive
      const alerts = lapi.alerts('synguard/');
      assert.deepEqual(values.map((v) => alerts.get(v)), [1, 1, 1, 1, 1], 'each ban arrived exactly once');
      assert.deepEqual(values.map((v) => lapi.decisions('synguard').get(v)), [1, 1, 1, 1, 1]);
    } finally {
      d.child.kill('SIGKILL');
      await d.exited;
      await lapi.stop();
    }
  });
}));
