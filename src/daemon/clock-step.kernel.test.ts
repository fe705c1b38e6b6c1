// A wall-clock step against real nftables (in a throwaway namespace): the defender runs in-process on a clock the test
// steps back an hour. The kernel's ban times out after its duration (it counts real time), while the store, in wall
// time, says it still holds: the returning attacker would not be banned again. The reconcile the run loop does on a
// step (defender.start, src/daemon/run.ts) puts the ban back, bounded by the store's end, with no duplicate decision.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { configFrom } from '../config/load.js';
import { buildAllowList, policyFor } from '../decide/index.js';
import { NftablesEnforcer } from '../enforce/nftables.js';
import { withNs } from '../testing/test-ns.js';
import { openStore } from '../store/index.js';
import { fixtureSample } from '../testing/samples.js';
import { tempDir } from '../testing/temp.js';
import { wallClock } from '../testing/clock.js';
import { NETNS, needs } from '../testing/needs.js';
import type { RawSample } from '../detect/snapshot.js';
import { Defender } from './defender.js';
import { memoryLog } from '../core/log.js';

const HOUR = 3_600_000;

test('clock stepped back an hour: the kernel ban that timed out comes back at the reconcile; no duplicate, none forever', needs([...NETNS, 'nft'], async () => {
  await withNs(async (ns) => {
    const config = configFrom({ defender: { bans: { base: '2s' } } });
    const store = openStore(tempDir('sg-clock-'));
    const enforcer = new NftablesEnforcer({ netns: ns });
    let shift = 0;
    const now = () => wallClock() + shift;
    let next: RawSample = fixtureSample('idle', 0);
    let which: 0 | 1 = 0;
    const defender = new Defender(config, {
      store, enforcer, log: memoryLog(), now, sample: () => Promise.resolve({ ...next, takenAt: now() }),
      decide: policyFor(buildAllowList({}), config), killSockets: null, harden: null,
    });
    const tick = async () => { which = which === 0 ? 1 : 0; next = fixtureSample('concentrated-v4', which); await defender.tick(); };
    const inKernel = async () => (await enforcer.list(now())).map((b) => b.value);
    try {
      await defender.start();
      await tick();
      await tick();
      const [banned] = store.decisions.active(now()).map((d) => d.value);
      assert.ok(banned !== undefined, 'banned');
      assert.deepEqual(await inKernel(), [banned]);

      shift = -HOUR; // the wall clock steps back an hour
      await sleep(3500); // the kernel's 2 s timeout runs out in real time
      await tick();
      assert.deepEqual(await inKernel(), [], 'without a reconcile the kernel lacks the ban the store says holds');
      assert.equal(store.decisions.active(now()).length, 1);

      await defender.start(); // what the run loop does when it sees the step
      const after = await enforcer.list(now());
      assert.deepEqual(after.map((b) => b.value), [banned], 'back in the kernel');
      const until = after[0]?.until ?? Infinity;
      assert.ok(until <= now() + HOUR + 2000, `bounded: ends ${(until - now()) / 1000} s from now, by the store's end`);
      await tick();
      assert.equal(store.decisions.history().length, 1, 'no duplicate decision');
    } finally {
      await enforcer.flush().catch(() => undefined);
      store.close();
    }
  });
}));
