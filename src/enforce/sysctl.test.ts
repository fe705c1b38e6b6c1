// Hardening: the pure plan, and reading/writing sysctls inside a throwaway namespace (never the root namespace).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_TARGETS, SYSCTLS, planHardening, writeSysctls } from './sysctl.js';
import { readSysctls } from '../testing/ns-sysctls.js';
import { withNs } from '../testing/test-ns.js';
import { NETNS, needs } from '../testing/needs.js';

const NAMES = Object.values(SYSCTLS);

describe('planHardening', () => {
  it('turns cookies on, raises backlogs, lowers SYN-ACK retries', () => {
    const plan = planHardening({ [SYSCTLS.syncookies]: 0, [SYSCTLS.maxSynBacklog]: 512, [SYSCTLS.somaxconn]: 4096, [SYSCTLS.synackRetries]: 5 });
    assert.deepEqual(plan, [
      { name: SYSCTLS.syncookies, from: 0, to: 1 },
      { name: SYSCTLS.maxSynBacklog, from: 512, to: 8192 },
      { name: SYSCTLS.somaxconn, from: 4096, to: 8192 },
      { name: SYSCTLS.synackRetries, from: 5, to: 2 },
    ]);
  });

  it('never lowers what is already stronger, skips unreadable values, refuses cookies off', () => {
    assert.deepEqual(planHardening({ [SYSCTLS.syncookies]: 2, [SYSCTLS.maxSynBacklog]: 65536, [SYSCTLS.somaxconn]: null, [SYSCTLS.synackRetries]: 1 }), []);
    assert.throws(() => planHardening({}, { ...DEFAULT_TARGETS, syncookies: 0 as 1 }), /1 or 2/);
  });
});

describe('sysctls in a namespace', () => {
  it('reads, applies the plan, and restores the originals', needs([...NETNS, 'sysctl'], async () => {
    await withNs(async (ns) => {
      await writeSysctls([{ name: SYSCTLS.syncookies, from: 1, to: 0 }], { netns: ns, restoring: true });
      const before = await readSysctls(NAMES, { netns: ns });
      assert.equal(before[SYSCTLS.syncookies], 0);
      const plan = planHardening(before);
      assert.ok(plan.length >= 2);
      await writeSysctls(plan, { netns: ns });
      const after = await readSysctls(NAMES, { netns: ns });
      for (const c of plan) assert.equal(after[c.name], c.to, c.name);
      await assert.rejects(writeSysctls([{ name: SYSCTLS.syncookies, from: 1, to: 0 }], { netns: ns }), /never/);
      await writeSysctls(plan.map((c) => ({ name: c.name, from: c.to, to: c.from })), { netns: ns, restoring: true });
      assert.deepEqual(await readSysctls(NAMES, { netns: ns }), before);
    });
  }));
});
