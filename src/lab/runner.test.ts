// A lab run with a stand-in defender plugged into the seam: its actions reach the report and time to mitigate is measured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { exec } from '../core/exec.js';
import { runScenario } from './runner.js';
import { loadScenario } from './scenario-load.js';
import { nftApply } from './netns.js';
import type { DefenderEvent, DefenderLauncher } from './defender.js';
import { wallClock } from '../testing/clock.js';
import { FLOODS, needs } from '../testing/needs.js';
import { tempDir } from '../testing/temp.js';


/** Bans attacker 1's /24 in the victim namespace once more than 100 SYN_RECV entries show up. */
const fakeDefender: DefenderLauncher = ({ ns, stateDir }) => {
  assert.ok(existsSync(stateDir));
  const actions: DefenderEvent[] = [];
  let stopped = false;
  const loop = (async (): Promise<void> => {
    while (!stopped && actions.length === 0) {
      const sent = (await exec('ss', ['-Htn', 'state', 'syn-recv'], { netns: ns })).stdout.trim().split('\n').filter(Boolean).length;
      if (sent > 100) {
        await nftApply(ns, 'table inet sgl_fake {\n chain pre {\n  type filter hook prerouting priority -300; ip saddr 198.18.2.0/24 drop;\n }\n}\n');
        actions.push({ atEpochMs: wallClock(), kind: 'ban', value: '198.18.2.0/24' });
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return Promise.resolve({
    actions: () => [...actions],
    pause: () => { actions.push({ atEpochMs: wallClock(), kind: 'paused', value: '' }); },
    stop: async () => {
      stopped = true;
      await loop;
    },
  });
};

test('a defender plugged into the seam: actions in the report, time to mitigate measured', { timeout: 60_000 }, needs(FLOODS, async () => {
  const { scenario } = loadScenario('concentrated-syn');
  const r = await runScenario('concentrated-syn', scenario, { scale: 0.3, defend: true, defender: fakeDefender, outDir: tempDir('sgl-def-'), pauseDefenderAtS: 20 });
  assert.deepEqual(r.defender?.actions.map((a) => a.kind), ['ban', 'paused']);
  // paused on the scenario's clock, scaled like its other times: 20 s × 0.3
  const paused = r.defender?.actions[1]?.at ?? NaN;
  assert.ok(Math.abs(paused - 6000) < 500, `paused at ${paused} ms`);
  assert.ok(r.timeToMitigateMs !== null && r.timeToMitigateMs >= 0 && r.timeToMitigateMs < 3000, `mitigated after ${r.timeToMitigateMs} ms`);
  assert.ok(r.events.some((e) => e.kind === 'defender'));
  assert.ok(existsSync(join(r.files?.dir ?? '', 'defender-state')));
  // the /24 ban also hits the client address that shares the attacker's /24: the lab shows the collateral damage
  const recovery = r.phases.find((p) => p.name === 'recovery')?.legit.bySource ?? {};
  assert.equal(recovery['198.18.2.200']?.succeeded, 0);
  assert.ok((recovery['198.18.1.2']?.succeeded ?? 0) > 0);
}));

test('--defend without a launcher fails before creating anything', async () => {
  const { scenario } = loadScenario('baseline');
  await assert.rejects(runScenario('baseline', scenario, { defend: true, defender: null }), /no defender launcher is available/);
});
