// `node dist/bench/restore.js [N]`: what a daemon start-up costs with N active bans in the store and none in the
// kernel (after a reboot), and with all of them already in the kernel (after a crash). In a throwaway namespace.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { configFrom } from '../config/load.js';
import type { Decision } from '../core/decision.js';
import { formatV4 } from '../core/address.js';
import { Defender } from '../daemon/defender.js';
import { memoryLog } from '../core/log.js';
import { NftablesEnforcer } from '../enforce/nftables.js';
import { withNs } from '../testing/test-ns.js';
import { openStore } from '../store/index.js';
import { median } from './measure.js';
import { diffBans } from '../daemon/sync.js';
import { fixtureSample } from '../testing/samples.js';
import { policyFor, buildAllowList } from '../decide/index.js';

const n = Number(process.argv[2] ?? 100_000);
const now = Date.now();
const decisions: Decision[] = Array.from({ length: n }, (_, i) => ({
  scope: 'ip', value: `${formatV4((0xc6130000 + i) | 0)}/32`, action: 'ban', reason: 'bench', evidence: [],
  origin: 'auto', createdAt: now, until: now + 3_600_000, offence: 1,
}));

await withNs(async (ns) => {
  const dir = mkdtempSync(join(tmpdir(), 'sg-restore-'));
  const store = openStore(dir);
  store.decisions.insertMany(decisions);
  const start = async (label: string) => {
    const log = memoryLog();
    const defender = new Defender(configFrom({}), {
      store, enforcer: new NftablesEnforcer({ netns: ns }), log, now: Date.now,
      sample: () => Promise.reject(new Error('not sampled')), decide: () => { throw new Error('not called'); },
      killSockets: null, harden: null,
    });
    const t = performance.now();
    await defender.start();
    const ms = performance.now() - t;
    console.log(`${label}: ${(ms / 1000).toFixed(2)} s`, JSON.stringify(log.lines.find((l) => l['event'] === 'reconcile')));
  };
  await start(`start-up with ${n.toLocaleString('en-US')} bans in the store, none in the kernel`);
  await start(`start-up with ${n.toLocaleString('en-US')} bans in the store and the same in the kernel`);

  // A quiet tick with n bans in force: what each tick cost before the active set was cached (read all + diff all),
  // against a real tick now (idle capture, the same store, the nftables backend in the namespace).
  const config = configFrom({});
  const sample = fixtureSample('idle', 0);
  const defender = new Defender(config, {
    store, enforcer: new NftablesEnforcer({ netns: ns }), log: memoryLog(), now: Date.now,
    sample: () => Promise.resolve({ ...sample, takenAt: Date.now() }),
    decide: policyFor(buildAllowList({ configured: [] }), config), killSockets: null, harden: null,
  });
  await defender.start();
  const fullPass: number[] = [];
  const ticks: number[] = [];
  for (let i = 0; i < 7; i++) {
    let t = performance.now();
    const reopened = openStore(dir); // a fresh connection: nothing cached, as every tick was before
    const active = reopened.decisions.active(Date.now());
    diffBans(active, new Map(active.map((d) => [d.value, d.until])), Date.now(), true);
    fullPass.push(performance.now() - t);
    reopened.close();
    t = performance.now();
    await defender.tick();
    ticks.push(performance.now() - t);
  }
  console.log(`quiet tick with ${n.toLocaleString('en-US')} bans: median ${median(ticks).toFixed(1)} ms; re-reading and diffing them all (the old tick's share): median ${median(fullPass).toFixed(1)} ms`);
  store.close();
  rmSync(dir, { recursive: true, force: true });
});
