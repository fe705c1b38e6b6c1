// /proc/PID/stat's CPU times, on lines captured from a real kernel (test/fixtures/proc-stat).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { childrenCpuMs, parseStatSession, parseStatTimes, sessionSize } from './proc-stat.js';
import { spendCpuInChild } from '../testing/cpu-child.js';
import { spawnLong } from '../core/exec.js';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/proc-stat/${name}`, import.meta.url), 'utf8');

test('the times are counted after the last parenthesis: a command name may hold spaces and parentheses', () => {
  assert.deepEqual(parseStatTimes(fixture('odd-comm')), { utime: 3, stime: 3, cutime: 32, cstime: 4 });
  assert.deepEqual(parseStatTimes(fixture('with-children')), { utime: 0, stime: 2, cutime: 30, cstime: 3 });
  assert.equal(childrenCpuMs(() => fixture('with-children')), 330);
});

test('the session is field 6, after the last parenthesis too', () => {
  assert.equal(parseStatSession(fixture('odd-comm')), 7479);
  assert.equal(parseStatSession(fixture('with-children')), 7479);
});

test('anything else is no answer, never a number', () => {
  for (const bad of ['', 'garbage', '1 (x) R 1 2', fixture('with-children').replace(' 30 3 ', ' -1 3 ')]) {
    assert.equal(parseStatTimes(bad), null, JSON.stringify(bad.slice(0, 40)));
  }
  for (const bad of ['', 'garbage', '1 (x) R 1 2', '1 (x) R 1 2 0 0']) assert.equal(parseStatSession(bad), null, bad);
  assert.equal(childrenCpuMs(() => { throw new Error('no /proc'); }), null);
});

test('a child that ran and was waited for shows in this process\'s children time', async () => {
  const before = childrenCpuMs();
  assert.notEqual(before, null);
  await spendCpuInChild(150);
  const spent = (childrenCpuMs() ?? 0) - (before ?? 0);
  assert.ok(spent >= 140, `the children's time grew by ${spent} ms`);
});

test('a session\'s size: its leader and every process it forked, as they come and go', async () => {
  // setsid execs into bash, which leads a new session (and process group) and forks three sleeps, then waits for them
  const { child: leader, exited } = spawnLong('setsid', ['bash', '-c', 'sleep 30 & sleep 30 & sleep 30 & wait'], { stdio: 'ignore' });
  const sid = leader.pid ?? -1;
  const sizeWhen = async (done: (n: number) => boolean): Promise<number> => {
    let n = sessionSize(sid);
    for (let i = 0; i < 100 && !done(n); i++) {
      await new Promise((r) => setTimeout(r, 20));
      n = sessionSize(sid);
    }
    return n;
  };
  try {
    assert.equal(await sizeWhen((n) => n >= 4), 4, 'bash and its three sleeps');
  } finally {
    process.kill(-sid, 'SIGKILL');
    await exited;
  }
  assert.equal(await sizeWhen((n) => n === 0), 0, 'all four gone');
  assert.equal(sessionSize(process.pid), 0, 'this process leads no session');
});
