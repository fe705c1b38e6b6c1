// The one exec point: arguments as an array, input on stdin when given, and stdin closed when not (a program that
// reads it must see its end, not wait for the timeout).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exec } from './exec.js';

test('exec: input goes to stdin; without input, stdin is closed (cat ends instead of timing out)', async () => {
  const echoed = await exec('cat', [], { input: 'a line\n', timeoutMs: 10_000 });
  assert.deepEqual([echoed.exitCode, echoed.stdout], [0, 'a line\n']);
  const none = await exec('cat', [], { timeoutMs: 10_000 });
  assert.deepEqual([none.timedOut, none.exitCode, none.stdout], [false, 0, '']);
  const args = await exec('printf', ['%s|', 'two words', '$(not a shell)']);
  assert.equal(args.stdout, 'two words|$(not a shell)|', 'arguments are passed as they are, no shell');
});
