// `synguard bans` and `history` as a user runs them: bad options exit 2 with one line naming the option.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { exec } from '../core/exec.js';
import { tempDir } from '../testing/temp.js';

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
