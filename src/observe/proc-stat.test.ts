// /proc/PID/stat's CPU times, on lines captured from a real kernel (test/fixtures/proc-stat).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { childrenCpuMs, parseStatTimes } from './proc-stat.js';
import { spendCpuInChild } from '../testing/cpu-child.js';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/proc-stat/${name}`, import.meta.url), 'utf8');

test('the times are counted after the last parenthesis: a command name may hold spaces and parentheses', () => {
  assert.deepEqual(parseStatTimes(fixture('odd-comm')), { utime: 3, stime: 3, cutime: 32, cstime: 4 });
  assert.deepEqual(parseStatTimes(fixture('with-children')), { utime: 0, stime: 2, cutime: 30, cstime: 3 });
  assert.equal(childrenCpuMs(() => fixture('with-children')), 330);
});

test('anything else is no answer, never a number', () => {
  for (const bad of ['', 'garbage', '1 (x) R 1 2', fixture('with-children').replace(' 30 3 ', ' -1 3 ')]) {
    assert.equal(parseStatTimes(bad), null, JSON.stringify(bad.slice(0, 40)));
  }
  assert.equal(childrenCpuMs(() => { throw new Error('no /proc'); }), null);
});

test('a child that ran and was waited for shows in this process\'s children time', async () => {
  const before = childrenCpuMs();
  assert.notEqual(before, null);
  await spendCpuInChild(150);
  const spent = (childrenCpuMs() ?? 0) - (before ?? 0);
  assert.ok(spent >= 140, `the children's time grew by ${spent} ms`);
});
