// `synguard token`: a clear line when there is none yet, the token (or {token, path}) when there is, --rotate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exec } from '../core/exec.js';
import { loadToken } from '../http/token.js';

const CLI = fileURLToPath(new URL('./main.js', import.meta.url));
const token = (...args: string[]) => exec(process.execPath, [CLI, 'token', ...args]);

test('synguard token: none yet, then the daemon\'s token, as text or JSON; --rotate makes a new one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'synguard-cli-token-'));
  try {
    const none = await token('--state-dir', dir);
    assert.equal(none.exitCode, 2);
    assert.equal(none.stderr, `synguard: no API token yet in ${dir}/api-token: the daemon makes one at its first start (synguard run), or make one now with synguard token --rotate\n`);
    const made = loadToken(dir); // what the daemon does at its first start
    assert.equal((await token('--state-dir', dir)).stdout, `${made}\n`);
    assert.deepEqual(JSON.parse((await token('--state-dir', dir, '--json')).stdout), { token: made, path: join(dir, 'api-token') });
    const rotated = await token('--state-dir', dir, '--rotate');
    assert.equal(rotated.exitCode, 0, rotated.stderr);
    assert.notEqual(rotated.stdout, `${made}\n`);
    assert.equal(rotated.stdout, `${loadToken(dir)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
