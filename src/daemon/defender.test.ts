// The defender's tick driven by captured kernel snapshots, a fixed clock, a real store and an in-memory backend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configFrom } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { buildAllowList, policyFor } from '../decide/index.js';
import { DryRunEnforcer } from '../enforce/dry-run.js';
import { openStore, type Store } from '../store/index.js';
import { fixtureSample, T0 } from '../testing/samples.js';
import type { RawSample } from '../detect/snapshot.js';
import { Defender, type MeterReader } from './defender.js';
import type { MeterSample } from '../observe/meter.js';
import type { TableWord } from '../observe/sample.js';
import { memoryLog } from '../core/log.js';
import { tempDir } from '../testing/temp.js';

interface Rig {
  defender: Defender;
  store: Store;
  log: ReturnType<typeof memoryLog>;
  enforcer: DryRunEnforcer & { failNext: boolean; commits: number };
  hardening: string[];
  clock: { now: number };
  feed: (capture: string) => void;
  kills: Array<{ values: readonly string[]; except: readonly string[] }>;
  /** What each sample was told: may it reuse the last walk of the socket table? */
  wordsAsked: TableWord[];
  /** The next samples hand back the last walk's tally, as TableReuse does when a walk was too costly to repeat. */
  reuseWalk: boolean;
}

function rig(config: Config = configFrom({}), withEnforcer = true, backend: 'dry-run' | 'route' = 'dry-run', meter: MeterReader | null = null): Rig {
  const store = openStore(tempDir('sg-defender-'));
  const log = memoryLog();
  const clock = { now: T0 };
  let next: RawSample = fixtureSample('idle', 0);
  let last: RawSample | null = null;
  let which: 0 | 1 = 0;
  const enforcer = Object.assign(new DryRunEnforcer(() => undefined), { failNext: false, commits: 0 });
  // As the route backend: no kernel timeouts, so the daemon itself must remove a ban when it runs out.
  if (backend === 'route') Object.defineProperties(enforcer, { name: { value: 'route' }, kernelExpires: { value: false } });
  // The in-memory backend stands in for the kernel; without `withEnforcer` it is what it is, the dry run's.
  Object.defineProperty(enforcer, 'enforces', { value: withEnforcer, configurable: true });
  const commit = enforcer.commit.bind(enforcer);
  enforcer.commit = (now: number) => {
    enforcer.commits++;
    if (enforcer.failNext) {
      enforcer.failNext = false;
      return Promise.reject(new Error('nft: transaction refused'));
    }
    return commit(now);
  };
  const hardening: string[] = [];
  const kills: Rig['kills'] = [];
  const wordsAsked: TableWord[] = [];
  const defender = new Defender(config, {
    store, log, enforcer, now: () => clock.now,
    sample: (word) => {
      wordsAsked.push(word);
      last = { ...next, ...(r.reuseWalk && last ? { tally: last.tally } : {}), takenAt: clock.now };
      return Promise.resolve(last);
    },
    decide: policyFor(buildAllowList({ configured: config.defender.allowList }), config),
    killSockets: (values, except) => { kills.push({ values, except }); return Promise.resolve(0); },
    harden: (mode) => { hardening.push(mode); return Promise.resolve([mode]); },
    meter,
  });
  // Each feed alternates the capture's two counter samples, one second apart, so rates come out as captured.
  const feed = (capture: string) => { which = which === 0 ? 1 : 0; next = fixtureSample(capture, which); };
  const r: Rig = { defender, store, log, enforcer, hardening, clock, feed, kills, wordsAsked, reuseWalk: false };
  return r;
}

async function tick(r: Rig, capture: string, seconds = 1): Promise<void> {
  r.clock.now += seconds * 1000;
  r.feed(capture);
  await r.defender.tick();
}
const events = (r: Rig) => r.log.lines.map((l) => l['event']);

test('a concentrated flood: stored, then in the kernel; the attack starts and SYN defences go up', async () => {
  const r = rig();
  await r.defender.start();
  await tick(r, 'concentrated-v4');
  await tick(r, 'concentrated-v4');
  const active = r.store.decisions.active(r.clock.now);
  assert.deepEqual(active.map((d) => [d.value, d.origin, d.offence]), [['198.18.0.2/32', 'auto', 1]]);
  assert.deepEqual((await r.enforcer.list(r.clock.now)).map((b) => b.value), ['198.18.0.2/32']);
  assert.deepEqual(r.hardening, ['attack']);
  assert.ok(events(r).includes('attack-start') && events(r).includes('ban') && events(r).includes('commit'));
  assert.equal(events(r).filter((e) => e === 'ban').length, 1, 'banned once, not once per tick');
  const advice = r.log.lines.find((l) => l['event'] === 'listener-backlog');
  assert.match(String(advice?.['advice']), /^listener 0\.0\.0\.0:80: SYN queue full at its backlog of 128/);
  const report = r.defender.statusReport();
  assert.equal(report?.assessment.kind, 'syn-flood');
  assert.equal(report?.intervalSeconds, 1);
});

test('a spoofed flood: the guard holds bans back, hardening goes up instead, and proven clients are not held back', async () => {
  const meter = fakeMeter();
  const r = rig(configFrom({ defender: { hardening: { calmDown: '10s' } } }), true, 'dry-run', meter);
  await r.defender.start();
  await tick(r, 'spoofed-v4-nocookies');
  await tick(r, 'spoofed-v4-nocookies');
  assert.equal(r.store.decisions.active(r.clock.now).length, 0);
  assert.ok(events(r).includes('spoofing-guard'));
  assert.deepEqual(r.hardening, ['attack']);
  assert.deepEqual(meter.armed, [], 'forged sources are never proven: the proven limit stays off');
  await tick(r, 'idle', 11);
  assert.ok(events(r).includes('attack-end'));
  assert.deepEqual(meter.armed, [], 'and the end has nothing to lift');
});

test('a spoofed flood that cookies carry, nobody named: the run loop may reuse a walk of the table; a kernel drop ends that', async () => {
  const meter = fakeMeter();
  const r = rig(configFrom({}), true, 'dry-run', meter);
  await r.defender.start();
  await tick(r, 'spoofed-v4-cookies');
  assert.equal(r.defender.lastAssessment?.kind, 'spoofed-syn-flood');
  assert.equal(r.defender.tableWord, 'steady-flood', 'a flood cookies carry: each walk would find the same forged sources');
  meter.next([['198.18.7.7/32', 1900]]);
  await tick(r, 'spoofed-v4-cookies');
  assert.deepEqual(r.wordsAsked, ['quiet', 'steady-flood', null], 'a real source inside it: the table is walked again in the same tick');
  assert.equal(r.defender.tableWord, null, 'and while the meter names someone');
});

test('calm for hardening.calmDown ends the attack, restores the sysctls and lifts the proven limit it put in force', async () => {
  const meter = fakeMeter();
  const r = rig(configFrom({ defender: { hardening: { calmDown: '10s' } } }), true, 'dry-run', meter);
  await r.defender.start();
  await tick(r, 'idle');
  assert.deepEqual(meter.armed, [], 'calm: the proven limit is not in force');
  assert.equal(r.defender.tableWord, 'quiet', 'calm: the run loop may reuse a walk of the table');
  await tick(r, 'concentrated-v4');
  assert.deepEqual(meter.armed, [true]);
  assert.equal(r.defender.tableWord, null, 'under attack from real sources: every tick walks the table');
  await tick(r, 'idle', 5);
  assert.deepEqual(r.hardening, ['attack']);
  await tick(r, 'idle', 6);
  assert.deepEqual(r.hardening, ['attack', 'calm']);
  assert.deepEqual(meter.armed, [true, false]);
  assert.ok(events(r).includes('attack-end'));
  assert.equal(r.store.events.list({}).length, 1);
});

test('a refused transaction is logged and retried on the next tick; nothing is lost', async () => {
  const r = rig();
  await r.defender.start();
  r.enforcer.failNext = true;
  await tick(r, 'connection-flood');
  assert.ok(events(r).includes('commit-failed'));
  assert.deepEqual(await r.enforcer.list(r.clock.now), [], 'nothing applied by the refused batch');
  assert.equal(r.store.decisions.active(r.clock.now).length, 2, 'but the decisions are stored');
  await tick(r, 'connection-flood');
  assert.deepEqual((await r.enforcer.list(r.clock.now)).map((b) => b.value).sort(), ['198.18.0.2/32', '2001:db8::2/128']);
});

test('dry-run: the decisions are logged and stored flagged dryRun, never applied, never counted as real', async () => {
  const r = rig(configFrom({}), false);
  await r.defender.start();
  await tick(r, 'concentrated-v4');
  await tick(r, 'concentrated-v4');
  assert.equal(r.store.decisions.active(r.clock.now).length, 0, 'no real ban');
  const dry = r.store.decisions.active(r.clock.now, true);
  assert.deepEqual(dry.map((d) => [d.value, d.dryRun]), [['198.18.0.2/32', true]], 'stored once, not again on the next tick');
  const ban = r.log.lines.find((l) => l['event'] === 'ban');
  assert.equal(ban?.['dryRun'], true);
  assert.equal(ban?.['value'], '198.18.0.2/32');
  assert.equal(r.enforcer.commits, 0);
  // Going live on the same store: the dry run's record is neither applied nor an earlier offence of the real ban.
  Object.defineProperty(r.enforcer, 'enforces', { value: true });
  const live = new Defender(configFrom({}), {
    store: r.store, log: r.log, enforcer: r.enforcer, now: () => r.clock.now, killSockets: null, harden: null,
    sample: () => Promise.resolve({ ...fixtureSample('idle', 0), takenAt: r.clock.now }),
    decide: policyFor(buildAllowList({ configured: [] }), configFrom({})),
  });
  await live.start();
  assert.deepEqual(await r.enforcer.list(r.clock.now), []);
  assert.equal(r.store.decisions.offences(['198.18.0.2/32'], r.clock.now, 86_400_000).get('198.18.0.2/32'), 0);
  assert.equal(r.store.decisions.offences(['198.18.0.2/32'], r.clock.now, 86_400_000, true).get('198.18.0.2/32'), 1);
});

test('an allow-listed offender is refused with the reason, never banned', async () => {
  const r = rig(configFrom({ defender: { allowList: ['198.18.0.0/24'] } }));
  await r.defender.start();
  await tick(r, 'concentrated-v4');
  assert.equal(r.store.decisions.active(r.clock.now).length, 0);
  const refused = r.log.lines.find((l) => l['event'] === 'refused');
  assert.match(String(refused?.['why']), /allow-listed/);
});

test('a manual unban in the store is lifted from the kernel on the next tick', async () => {
  const r = rig();
  await r.defender.start();
  await tick(r, 'concentrated-v4');
  r.store.decisions.endValue('198.18.0.2/32', { now: r.clock.now, by: 'cli', kind: 'unban' });
  await tick(r, 'idle');
  assert.deepEqual(await r.enforcer.list(r.clock.now), []);
});

test('an unchanged store costs no kernel work; a ban that runs out is removed by hand where the kernel keeps no timeout', async () => {
  for (const backend of ['dry-run', 'route'] as const) {
    const r = rig(configFrom({}), true, backend);
    await r.defender.start();
    r.store.decisions.insert({
      scope: 'ip', value: '198.18.9.9/32', action: 'ban', reason: 'test', evidence: [], origin: 'manual',
      createdAt: r.clock.now, until: r.clock.now + 3_000, offence: 1,
    });
    await tick(r, 'idle');
    const afterBan = r.enforcer.commits;
    assert.deepEqual((await r.enforcer.list(r.clock.now)).map((b) => b.value), ['198.18.9.9/32'], backend);
    await tick(r, 'idle');
    assert.equal(r.enforcer.commits, afterBan, `${backend}: no write, no commit`);
    await tick(r, 'idle', 5);
    assert.equal(r.enforcer.commits, backend === 'route' ? afterBan + 1 : afterBan, `${backend}: only the route backend removes by hand`);
    const held = r.enforcer['state'];
    assert.equal(held.has('198.18.9.9/32'), backend === 'dry-run', `${backend}: the kernel-timeout backend keeps its (expired) entry for the kernel to drop`);
  }
});

test('a prefix ban for a SYN flood spares the proven clients inside it, in the same commit, and keeps their sockets', async () => {
  for (const spareProven of [true, false]) {
    const r = rig(configFrom({ defender: { bans: { spareProven } } }));
    const spared: Array<[string, number]> = [];
    const asked: string[] = [];
    Object.assign(r.enforcer, {
      provenWithin: (prefix: string) => { asked.push(prefix); return Promise.resolve(['2001:db8:0:2::200']); },
      spare: (address: string, until: number) => { spared.push([address, until]); },
    });
    await r.defender.start();
    await tick(r, 'syn-v6');
    const ban = r.store.decisions.active(r.clock.now).find((d) => d.scope === 'prefix');
    assert.ok(ban, `a prefix ban from the rotating IPv6 capture (${events(r).join(', ')})`);
    if (!spareProven) {
      assert.deepEqual([asked, spared], [[], []], 'spareProven: false spares nobody');
      continue;
    }
    assert.deepEqual(asked, [ban.value]);
    assert.deepEqual(spared, [['2001:db8:0:2::200', ban.until]], 'spared for as long as the ban');
    assert.equal(r.enforcer.commits, 1, 'the ban and its spares in one commit');
    assert.deepEqual(r.kills.at(-1)?.except, ['2001:db8:0:2::200'], 'the spared client keeps its sockets');
    assert.equal(r.log.lines.find((l) => l['event'] === 'spared')?.['count'], 1);
  }
});

test('a prefix banned for a connection flood spread over its addresses spares nobody', async () => {
  const r = rig(configFrom({ detection: { established: { ban: 1000, clear: 500 }, prefixEstablished: { ban: 20, clear: 10 } } }));
  const asked: string[] = [];
  Object.assign(r.enforcer, { provenWithin: (p: string) => { asked.push(p); return Promise.resolve([]); }, spare: () => undefined });
  await r.defender.start();
  await tick(r, 'connection-flood');
  const prefix = r.store.decisions.active(r.clock.now).find((d) => d.scope === 'prefix');
  assert.match(prefix?.reason ?? '', /^connection flood from one prefix/, events(r).join(', '));
  assert.deepEqual(asked, []);
});

test('a prefix holding a full server\'s slots: the daemon looks again sooner until fullFor, then bans it', async () => {
  const r = rig();
  Object.assign(r.enforcer, { provenWithin: () => Promise.resolve([]), spare: () => undefined });
  await r.defender.start();
  await tick(r, 'slots-early');
  assert.equal(r.defender.urgent, true, 'a capacity suspect, full for less than fullFor');
  assert.deepEqual(r.store.decisions.active(r.clock.now), []);
  await tick(r, 'slots-early', 2);
  // the 8 addresses of the spread, aggregated by the policy into their /24 (prefixAfter.ipv4 8)
  assert.deepEqual(r.store.decisions.active(r.clock.now).map((d) => d.value), ['198.18.2.0/24'], events(r).join(', '));
  assert.equal(r.defender.urgent, false);
});

test('a source climbing towards a ban: a tick that reuses the last walk keeps the daemon looking sooner', async () => {
  const r = rig(configFrom({ detection: { established: { ban: 400, clear: 200 } } }));
  await r.defender.start();
  await tick(r, 'connection-flood');
  assert.equal(r.defender.urgent, true, '198.18.0.2 with 300 established, between clear and ban, up from nothing');
  r.reuseWalk = true;
  await tick(r, 'connection-flood', 0.2);
  assert.equal(r.defender.urgent, true, 'a reused walk shows nothing new: still climbing as far as anyone knows');
  assert.equal(r.wordsAsked.at(-1), null, 'and the next sample is asked for a fresh walk');
  r.reuseWalk = false;
  await tick(r, 'connection-flood', 0.2);
  assert.equal(r.defender.urgent, false, 'a fresh walk with the same count: no longer rising');
});

/** A meter whose next reading the test sets; it records what the daemon lifts. */
function fakeMeter(): MeterReader & { next: (hosts: Array<[string, number]>, prefixes?: Array<[string, number]>) => void; lifted: string[]; armed: boolean[]; fail: boolean } {
  let sample: MeterSample | null = null;
  const m = {
    lifted: [] as string[],
    armed: [] as boolean[],
    arm(on: boolean) { m.armed.push(on); return Promise.resolve(); },
    fail: false,
    next(hosts: Array<[string, number]>, prefixes: Array<[string, number]> = []) {
      const el = ([value, packets]: [string, number]) => ({ value, packets, ageMs: 1000, expiresAt: 0 });
      sample = { takenAt: 0, hosts: hosts.map(el), prefixes: prefixes.map(el), busy: [] };
    },
    read(now: number) {
      if (m.fail) return Promise.reject(new Error('nft -i did not answer'));
      return Promise.resolve(sample && { ...sample, takenAt: now });
    },
    lift(values: readonly string[]) { m.lifted.push(...values); return Promise.resolve(); },
  };
  return m;
}

test('a kernel drop becomes a ban with origin kernel in the same tick, once, even inside a spoofed flood', async () => {
  const meter = fakeMeter();
  const r = rig(configFrom({}), true, 'dry-run', meter);
  await r.defender.start();
  await tick(r, 'idle');
  meter.next([['198.18.7.7/32', 1900]]);
  await tick(r, 'spoofed-v4-nocookies');
  assert.deepEqual(r.wordsAsked, ['quiet', 'quiet', null], 'calm, the walk may be reused; a kernel drop this tick: walk the table again now');
  const active = r.store.decisions.active(r.clock.now);
  assert.deepEqual(active.map((d) => [d.value, d.origin, d.reason]), [['198.18.7.7/32', 'kernel', 'SYN flood (kernel meter)']]);
  assert.match(active[0]!.evidence[0]!, /1900 SYN\/s without completing handshakes/);
  assert.deepEqual((await r.enforcer.list(r.clock.now)).map((b) => b.value), ['198.18.7.7/32']);
  assert.equal(r.defender.statusReport()?.synSenders[0]?.address, '198.18.7.7');
  // The meter runs before the ban chain: its counter keeps growing while it floods; the ban stands, nothing is re-decided.
  meter.next([['198.18.7.7/32', 3900]]);
  await tick(r, 'spoofed-v4-nocookies');
  assert.equal(r.store.decisions.active(r.clock.now).length, 1);
  assert.equal(events(r).filter((e) => e === 'ban').length, 1);
  assert.ok(!events(r).includes('ban-extended'));
});

test('a restart reads what the kernel dropped meanwhile into the store exactly once', async () => {
  const meter = fakeMeter();
  const r = rig(configFrom({}), true, 'dry-run', meter);
  await r.defender.start();
  meter.next([['198.18.7.7/32', 1900], ['2001:db8:7::7/128', 900]], [['198.18.9.0/24', 3000]]);
  await tick(r, 'idle');
  const again = new Defender(configFrom({}), {
    store: r.store, log: r.log, enforcer: r.enforcer, now: () => r.clock.now, sample: () => Promise.resolve({ ...fixtureSample('idle', 0), takenAt: r.clock.now }),
    decide: policyFor(buildAllowList({}), configFrom({})), killSockets: null, harden: null, meter,
  });
  await again.start();
  r.clock.now += 1000;
  await again.tick();
  const values = r.store.decisions.active(r.clock.now).map((d) => `${d.value} ${d.origin} ${d.scope}`).sort();
  assert.deepEqual(values, ['198.18.7.7/32 kernel ip', '198.18.9.0/24 kernel prefix', '2001:db8:7::7/128 kernel ip']);
});

test('more kernel drops at once than maxOffenders: no bans, the guard says so; an allow-listed drop is lifted', async () => {
  const meter = fakeMeter();
  const r = rig(configFrom({ defender: { allowList: ['198.18.8.0/24'] } }), true, 'dry-run', meter);
  await r.defender.start();
  meter.next(Array.from({ length: 40 }, (_, i): [string, number] => [`198.18.6.${i + 1}/32`, 200]));
  await tick(r, 'idle');
  assert.equal(r.store.decisions.active(r.clock.now).length, 0);
  assert.ok(events(r).includes('spoofing-guard'));
  meter.next([['198.18.8.8/32', 500]]);
  await tick(r, 'idle');
  assert.equal(r.store.decisions.active(r.clock.now).length, 0);
  assert.deepEqual(meter.lifted, ['198.18.8.8/32']);
});

test('a meter that cannot be read is said once; the tick goes on', async () => {
  const meter = fakeMeter();
  meter.fail = true;
  const r = rig(configFrom({}), true, 'dry-run', meter);
  await r.defender.start();
  await tick(r, 'concentrated-v4');
  await tick(r, 'concentrated-v4');
  assert.equal(events(r).filter((e) => e === 'meter-read-failed').length, 1);
  assert.equal(r.store.decisions.active(r.clock.now).length, 1, 'the socket table still bans');
});

test('no ban in force: the enforcer rests once (its rules out) until a commit writes them back; a kernel still holding a ban is asked again a minute later', async () => {
  const r = rig();
  const rests: number[] = [];
  let kernelHolds = false;
  Object.assign(r.enforcer, { rest: (now: number) => { rests.push(now); return Promise.resolve(!kernelHolds); } });
  await r.defender.start();
  await tick(r, 'idle');
  assert.equal(rests.length, 1, 'nothing in force from the start: rested at the first tick');
  await tick(r, 'idle');
  assert.equal(rests.length, 1, 'once, not every tick');
  r.store.decisions.insert({
    scope: 'ip', value: '198.18.9.9/32', action: 'ban', reason: 'test', evidence: [], origin: 'manual',
    createdAt: r.clock.now, until: r.clock.now + 3_000, offence: 1,
  });
  await tick(r, 'idle');
  await tick(r, 'idle');
  assert.equal(rests.length, 1, 'never while a ban is in force');
  await tick(r, 'idle', 5);
  assert.equal(rests.length, 2, 'the ban ran out: rested again (the commit had written the rules back)');
  const commits = r.enforcer.commits;
  r.store.decisions.insert({
    scope: 'ip', value: '198.18.9.8/32', action: 'ban', reason: 'test', evidence: [], origin: 'manual',
    createdAt: r.clock.now, until: r.clock.now + 5_000, offence: 1,
  });
  await tick(r, 'idle');
  assert.equal(r.enforcer.commits, commits + 1);
  kernelHolds = true; // say the kernel still holds something this process never applied
  await tick(r, 'idle', 6);
  assert.equal(rests.length, 3, 'asked once the ban ran out');
  await tick(r, 'idle', 30);
  assert.equal(rests.length, 3, 'not again within the minute');
  await tick(r, 'idle', 31);
  assert.equal(rests.length, 4, 'asked again after it');
});

test('a ban in force that the kernel refused (its commit failed) keeps the enforcer from resting', async () => {
  const r = rig();
  const rests: number[] = [];
  Object.assign(r.enforcer, { rest: (now: number) => { rests.push(now); return Promise.resolve(true); } });
  await r.defender.start();
  r.store.decisions.insert({
    scope: 'ip', value: '198.18.9.9/32', action: 'ban', reason: 'test', evidence: [], origin: 'manual',
    createdAt: r.clock.now, until: r.clock.now + 60_000, offence: 1,
  });
  r.enforcer.failNext = true;
  await tick(r, 'idle');
  assert.deepEqual(rests, [], 'nothing applied, but the store holds a ban: the rules stay');
  await tick(r, 'idle');
  assert.equal((await r.enforcer.list(r.clock.now)).length, 1, 'the retry applied it');
  assert.deepEqual(rests, []);
});
