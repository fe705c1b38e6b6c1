// The one exec point: arguments as an array, input on stdin when given, and stdin closed when not (a program that
// reads it must see its end, not wait for the timeout).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exec, execStream, runBounded } from './exec.js';

test('exec: input goes to stdin; without input, stdin is closed (cat ends instead of timing out)', async () => {
  const echoed = await exec('cat', [], { input: 'a line\n', timeoutMs: 10_000 });
  assert.deepEqual([echoed.exitCode, echoed.stdout], [0, 'a line\n']);
  const none = await exec('cat', [], { timeoutMs: 10_000 });
  assert.deepEqual([none.timedOut, none.exitCode, none.stdout], [false, 0, '']);
  const args = await exec('printf', ['%s|', 'two words', '$(not a shell)']);
  assert.equal(args.stdout, 'two words|$(not a shell)|', 'arguments are passed as they are, no shell');
});

test('execStream: stdout comes in chunks, whole and in order; a failure, a missing program and a timeout are data', async () => {
  const chunks: Buffer[] = [];
  const big = await execStream('head', ['-c', '300000', '/dev/urandom'], (c) => { chunks.push(c); }, { timeoutMs: 10_000 });
  assert.deepEqual([big.exitCode, big.failed, big.stdout], [0, false, '']);
  assert.ok(chunks.length > 1, `one chunk at a time, not the whole output: ${chunks.length}`);
  assert.equal(Buffer.concat(chunks).length, 300_000);
  const ordered: Buffer[] = [];
  await execStream('seq', ['1', '50000'], (c) => { ordered.push(c); });
  assert.equal(Buffer.concat(ordered).toString(), `${Array.from({ length: 50_000 }, (_, i) => i + 1).join('\n')}\n`);
  const failed = await execStream('sh', ['-c', 'echo oops >&2; exit 3'], () => undefined);
  assert.deepEqual([failed.exitCode, failed.failed, failed.stderr], [3, true, 'oops\n']);
  const missing = await execStream('synguard-no-such-program', [], () => undefined);
  assert.deepEqual([missing.failed, missing.spawnError], [true, 'ENOENT']);
  const slow = await execStream('sleep', ['30'], () => undefined, { timeoutMs: 100 });
  assert.deepEqual([slow.failed, slow.timedOut], [true, true]);
});

test('runBounded: a program that ends in time is left alone; one still running gets SIGINT, again each second, and may say what it did; one deaf to SIGINT gets SIGKILL', async () => {
  const quick = await runBounded('bash', ['-c', 'echo done'], { interruptMs: 5000, killMs: 10_000 });
  assert.deepEqual(quick, { output: 'done\n', code: 0, signal: null, interrupted: false });
  // as wrk does: its report comes at SIGINT (its background sleep ends with it: nothing outlives the test)
  const reports = await runBounded('bash', ['-c', 'trap \'kill $!; echo "measured so far"; exit 3\' INT; sleep 30 & wait'], { interruptMs: 300, killMs: 10_000 });
  assert.deepEqual(reports, { output: 'measured so far\n', code: 3, signal: null, interrupted: true });
  // deaf to SIGINT while it sets up (as wrk is before its handler, or once it has, before its sleep): a later one ends it
  const slow = await runBounded('bash', ['-c', 'trap "" INT; sleep 1; trap \'kill $!; echo "late report"; exit 3\' INT; sleep 30 & wait'], { interruptMs: 300, killMs: 4000 });
  assert.deepEqual(slow, { output: 'late report\n', code: 3, signal: null, interrupted: true });
  // SIGINT ignored, which exec keeps: only the SIGKILL ends it
  const deaf = await runBounded('bash', ['-c', 'trap "" INT; exec sleep 30'], { interruptMs: 200, killMs: 600 });
  assert.deepEqual(deaf, { output: '', code: null, signal: 'SIGKILL', interrupted: true });
  // no interruptMs: nothing but the SIGKILL
  const killed = await runBounded('sleep', ['30'], { killMs: 300 });
  assert.deepEqual(killed, { output: '', code: null, signal: 'SIGKILL', interrupted: false });
});
