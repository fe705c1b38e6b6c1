// `synguard bans`, `bans show` and `history` as a user runs them: bad options exit 2 with one line naming the option.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { exec } from '../core/exec.js';
import { tempDir } from '../testing/temp.js';
import { wallClock } from '../testing/clock.js';
import { openStore } from '../store/index.js';

const CLI = fileURLToPath(new URL('./main.js', import.meta.url));
const run = (args: string[]) => exec(process.execPath, [CLI, ...args], { timeoutMs: 20_000 });

test('history --limit takes a whole number: "abc" and "2.5" are usage errors naming the option', async () => {
  const stateDir = join(tempDir('sg-hist-'), 'state');
  for (const bad of ['abc', '2.5', '0']) {
    const r = await run(['history', '--state-dir', stateDir, '--limit', bad]);
    assert.equal(r.exitCode, 2, r.stderr);
    assert.equal(r.stderr.trim(), `synguard: --limit takes a whole number from 1 to 100000, got "${bad}"`);
  }
});

test('bans show ADDR and history --address: the ban covering it and its past, from the store', async () => {
  const stateDir = tempDir('sg-show-');
  const now = wallClock();
  const store = openStore(stateDir);
  const base = { action: 'ban', evidence: ['SYN_RECV 180 (ban at 32)'], origin: 'auto', offence: 1 } as const;
  const old = store.decisions.insert({ ...base, scope: 'ip', value: '198.51.100.7/32', reason: 'half-open flood', createdAt: now - 3_600_000, until: now - 3_000_000 });
  store.decisions.insert({ ...base, scope: 'prefix', value: '198.51.100.0/24', reason: '8 offenders in 198.51.100.0/24', createdAt: now - 60_000, until: now + 600_000, offence: 2 });
  store.decisions.insert({ ...base, scope: 'ip', value: '192.0.2.1/32', reason: 'someone else', createdAt: now - 60_000, until: now + 600_000 });
  store.close();

  const show = await run(['bans', 'show', '198.51.100.7', '--state-dir', stateDir, '--json']);
  assert.equal(show.exitCode, 0, show.stderr);
  const e = JSON.parse(show.stdout) as { target: string; banned: boolean; inForce: { value: string; offence: number; reason: string }; earlier: Array<{ value: string }> };
  assert.equal(e.target, '198.51.100.7/32');
  assert.equal(e.banned, true);
  assert.deepEqual([e.inForce.value, e.inForce.offence, e.inForce.reason], ['198.51.100.0/24', 2, '8 offenders in 198.51.100.0/24']);
  assert.deepEqual(e.earlier.map((d) => d.value), [old.value]);
  const text = await run(['bans', 'show', '198.51.100.7', '--state-dir', stateDir]);
  assert.match(text.stdout, /^198\.51\.100\.7\/32 is banned \(covered by the prefix ban on 198\.51\.100\.0\/24\)\n/);
  assert.match(text.stdout, /earlier offences \(1\):/);

  const hist = await run(['history', '--address', '198.51.100.7', '--state-dir', stateDir, '--json']);
  assert.equal(hist.exitCode, 0, hist.stderr);
  const h = JSON.parse(hist.stdout) as { decisions: Array<{ value: string }> };
  assert.deepEqual(h.decisions.map((d) => d.value), ['198.51.100.0/24', '198.51.100.7/32']);

  const loopback = await run(['bans', 'show', '127.0.0.1', '--state-dir', stateDir, '--json']);
  assert.deepEqual((JSON.parse(loopback.stdout) as { allowListed: unknown }).allowListed, { value: '127.0.0.0/8', source: 'loopback' });

  for (const args of [['bans', 'show', 'nonsense'], ['history', '--address', '10.0.0.300']]) {
    const bad = await run([...args, '--state-dir', stateDir]);
    assert.equal(bad.exitCode, 2, bad.stderr);
    assert.match(bad.stderr, /^synguard: "(nonsense|10\.0\.0\.300)" is not an IP address or CIDR/);
    assert.equal(bad.stderr.trim().split('\n').length, 1);
  }
});

test('a dry run\'s decisions: listed by bans with their flag, never "banned" in bans show, marked in history', async () => {
  const stateDir = tempDir('sg-dry-');
  const now = wallClock();
  const store = openStore(stateDir);
  const base = { action: 'ban', evidence: ['SYN_RECV 180 (ban at 32)'], origin: 'auto', offence: 1, scope: 'ip', reason: 'half-open flood', createdAt: now - 1000, until: now + 600_000 } as const;
  store.decisions.insert({ ...base, value: '198.18.5.1/32' });
  store.decisions.insert({ ...base, value: '198.18.5.2/32', dryRun: true });
  store.close();

  const list = await run(['bans', '--json', '--state-dir', stateDir]);
  assert.equal(list.exitCode, 0, list.stderr);
  assert.deepEqual((JSON.parse(list.stdout) as Array<{ value: string; dryRun: boolean }>).map((b) => [b.value, b.dryRun]), [['198.18.5.1/32', false], ['198.18.5.2/32', true]]);
  const text = await run(['bans', '--state-dir', stateDir]);
  assert.match(text.stdout, /^198\.18\.5\.2\/32 .*\[dry run, not enforced\] half-open flood$/m);
  assert.match(text.stdout, /^1 active ban, 1 dry-run decision \(not enforced\)$/m);

  const show = JSON.parse((await run(['bans', 'show', '198.18.5.2', '--json', '--state-dir', stateDir])).stdout) as { banned: boolean; earlier: Array<{ dryRun: boolean }> };
  assert.equal(show.banned, false);
  assert.deepEqual(show.earlier.map((d) => d.dryRun), [true]);
  const hist = await run(['history', '--state-dir', stateDir]);
  assert.match(hist.stdout, /ban 198\.18\.5\.2\/32 \(auto, offence 1, dry run\)/);
});
