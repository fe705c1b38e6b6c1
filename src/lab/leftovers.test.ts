// What the leftover check lists on a shared machine: runs owned by another live process are someone else's run in
// progress (skipped with excludeOthers); this process's own runs, and runs whose owner died, are listed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Exec } from '../core/exec.js';
import { spawnLong } from '../core/exec.js';
import { listLeftovers } from './leftovers.js';
import { claimRun, releaseRun } from './owners.js';
import { needs } from '../testing/needs.js';

const IDS = { mine: 'fffa01', other: 'fffa02', dead: 'fffa03' };

/** `ip netns list` shows one namespace per run; every other command finds nothing. */
const fake: Exec = (file, args) => Promise.resolve({
  stdout: file === 'ip' && args.join(' ') === 'netns list' ? Object.values(IDS).map((id) => `sgl-${id}-victim`).join('\n') : '',
  command: [file, ...args].join(' '), stderr: '', exitCode: 0, failed: false, timedOut: false,
});

test('excludeOthers skips only runs another live process owns; own and orphaned runs are listed', needs(['root'], async () => {
  const other = spawnLong('sleep', ['30'], { stdio: 'ignore' });
  try {
    claimRun(IDS.mine);
    claimRun(IDS.other, other.child.pid);
    claimRun(IDS.dead, 2 ** 22 + 7); // above any pid this machine hands out
    const ours = (l: string) => Object.values(IDS).some((id) => l.includes(id));
    const all = (await listLeftovers({ run: fake })).filter(ours);
    assert.deepEqual(all.filter((l) => l.startsWith('netns')), Object.values(IDS).map((id) => `netns sgl-${id}-victim`));
    const mine = (await listLeftovers({ run: fake, excludeOthers: true })).filter(ours);
    assert.deepEqual(mine, [`netns sgl-${IDS.mine}-victim`, `netns sgl-${IDS.dead}-victim`, `owner file ${IDS.mine}`, `owner file ${IDS.dead}`]);
  } finally {
    for (const id of Object.values(IDS)) releaseRun(id);
    other.child.kill('SIGKILL');
    await other.exited;
  }
}));
