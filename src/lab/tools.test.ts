// Preflight: missing tools name their Debian package; not root is exit 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureRoot, ensureTools } from './tools.js';

test('a missing tool is named with the Debian package that provides it', () => {
  assert.throws(() => ensureTools(['ip', 'hping3', 'nft'], (t) => t === 'ip'), (e: Error & { code?: string }) =>
    e.code === 'missing-tool' && /needs hping3, nft: install with apt-get install hping3 nftables/.test(e.message));
  assert.doesNotThrow(() => ensureTools(['ip'], () => true));
});

test('not root is a permission error (exit code 2)', () => {
  assert.throws(() => ensureRoot(1000), (e: Error & { exitCode?: number }) => e.exitCode === 2 && /run it as root/.test(e.message));
  assert.doesNotThrow(() => ensureRoot(0));
});
