// The skip rule: a missing need skips a test only when CI is unset; under CI it fails the test, naming what is missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exec } from '../core/exec.js';
import { tempDir } from './temp.js';
import { needsVerdict, type NeedsEnv } from './needs.js';

const env = (over: Partial<NeedsEnv> = {}): NeedsEnv => ({ uid: 0, ci: undefined, has: () => true, ...over });

test('every need met: the test runs, in CI or not', () => {
  assert.deepEqual(needsVerdict(['root', 'nft'], env()), { run: true });
  assert.deepEqual(needsVerdict(['root', 'nft'], env({ ci: 'true' })), { run: true });
});

test('outside CI a missing need skips the test and names every missing one, once', () => {
  assert.deepEqual(needsVerdict(['root', 'nft', 'hping3', 'nft'], env({ uid: 1000, has: (p) => p !== 'hping3' })),
    { skip: 'needs root, hping3 on PATH' });
  assert.deepEqual(needsVerdict(['root'], env({ uid: undefined, ci: '' })), { skip: 'needs root' }, 'CI set but empty is unset');
});

test('under CI a would-be skip is a failure that says why', () => {
  const v = needsVerdict(['root', 'ipset'], env({ uid: 1000, ci: 'true', has: () => false }));
  assert.ok('fail' in v);
  assert.equal(v.fail, 'needs root, ipset on PATH; under CI (CI=true) a test may not skip: run as root after scripts/install.sh --test');
});

test('needs() under node:test: skipped and counted without CI, a failing test with CI=true', async () => {
  const dir = tempDir('sg-needs-');
  const probe = join(dir, 'probe.test.mjs');
  writeFileSync(probe, `import { test } from 'node:test';
import { needs } from ${JSON.stringify(new URL('./needs.js', import.meta.url).href)};
test('probe', needs(['synguard-no-such-program'], () => { throw new Error('the body ran'); }));
`);
  const run = (ci: string | undefined) => {
    const env = { ...process.env };
    delete env['CI'];
    delete env['NODE_TEST_CONTEXT']; // set by the runner around us: the probe reports on its own
    if (ci !== undefined) env['CI'] = ci;
    return exec(process.execPath, ['--test', '--test-reporter=tap', probe], { env, timeoutMs: 30_000 });
  };
  const local = await run(undefined);
  assert.equal(local.exitCode, 0, local.stdout);
  assert.match(local.stdout, /^ok 1 - probe # SKIP needs synguard-no-such-program on PATH$/m);
  assert.match(local.stdout, /^# skipped 1$/m);
  const ci = await run('true');
  assert.equal(ci.exitCode, 1, ci.stdout);
  assert.match(ci.stdout, /^not ok 1 - probe$/m);
  assert.match(ci.stdout, /under CI \(CI=true\) a test may not skip/);
  assert.match(ci.stdout, /^# skipped 0$/m);
});
