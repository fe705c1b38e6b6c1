// `synguard install` / `uninstall` for real, under a temporary --root and inside a throwaway network namespace: the
// files, the boot link (systemctl --root), the config kept, and uninstall removing the kernel state it left.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exec } from '../core/exec.js';
import { withNs } from '../testing/test-ns.js';
import { NETNS, needs } from '../testing/needs.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const cli = (ns: string, ...args: string[]) => exec(process.execPath, [CLI, ...args], { netns: ns, timeoutMs: 60_000 });
const sysctl = async (ns: string, name: string) => (await exec('sysctl', ['-n', name], { netns: ns })).stdout.trim();

test('install, install again, uninstall, uninstall again, uninstall --purge: idempotent, config kept, kernel cleaned', needs([...NETNS, 'nft', 'systemctl'], async () => {
  const root = mkdtempSync(join(tmpdir(), 'synguard-root-'));
  try {
    await withNs(async (ns) => {
      const unit = join(root, 'etc/systemd/system/synguard.service');
      const link = join(root, 'etc/systemd/system/multi-user.target.wants/synguard.service');
      const config = join(root, 'etc/synguard/config.yaml');
      const state = join(root, 'var/lib/synguard');

      const first = await cli(ns, 'install', '--root', root);
      assert.equal(first.exitCode, 0, first.stderr);
      assert.match(readFileSync(unit, 'utf8'), new RegExp(`^ExecStart=\\S*${CLI.replaceAll('/', '\\/')} run --config /etc/synguard/config.yaml$`, 'm'));
      assert.ok(lstatSync(link).isSymbolicLink(), 'enabled for boot (multi-user.target.wants)');
      assert.match(readFileSync(config, 'utf8'), /^# defender:$/m);
      assert.equal(lstatSync(config).mode & 0o777, 0o600);
      assert.match(first.stdout, /nothing was started/);

      writeFileSync(config, 'defender:\n  interval: 2\n');
      const again = await cli(ns, 'install', '--root', root, '--no-start');
      assert.equal(again.exitCode, 0, again.stderr);
      assert.match(again.stdout, /already up to date/);
      assert.equal(readFileSync(config, 'utf8'), 'defender:\n  interval: 2\n', 'an existing config is never overwritten');

      // kernel state of this namespace, the way synguard leaves it: a ban in nftables and hardened sysctls
      const retries = await sysctl(ns, 'net.ipv4.tcp_synack_retries');
      const ban = await cli(ns, 'ban', '198.18.0.9', '--state-dir', state, '--config', config);
      assert.equal(ban.exitCode, 0, ban.stderr);
      const harden = await cli(ns, 'harden', '--apply', '--state-dir', state, '--config', config);
      assert.equal(harden.exitCode, 0, harden.stderr);
      assert.equal(await sysctl(ns, 'net.ipv4.tcp_synack_retries'), '2');
      assert.match((await exec('nft', ['list', 'tables'], { netns: ns })).stdout, /inet synguard/);

      const off = await cli(ns, 'uninstall', '--root', root);
      assert.equal(off.exitCode, 0, off.stderr);
      assert.ok(!existsSync(unit) && !existsSync(link), 'unit and boot link removed');
      assert.doesNotMatch((await exec('nft', ['list', 'tables'], { netns: ns })).stdout, /synguard/);
      assert.equal(await sysctl(ns, 'net.ipv4.tcp_synack_retries'), retries, 'the original sysctl is back');
      assert.ok(existsSync(config) && existsSync(join(state, 'synguard.db')), 'config and state kept without --purge');

      const twice = await cli(ns, 'uninstall', '--root', root);
      assert.equal(twice.exitCode, 0, twice.stderr);
      assert.match(twice.stdout, /not installed/);

      const purge = await cli(ns, 'uninstall', '--root', root, '--purge');
      assert.equal(purge.exitCode, 0, purge.stderr);
      assert.ok(!existsSync(join(root, 'etc/synguard')) && !existsSync(state), 'purged');
      const purgeAgain = await cli(ns, 'uninstall', '--root', root, '--purge');
      assert.equal(purgeAgain.exitCode, 0, purgeAgain.stderr);
      assert.ok(!existsSync(state), 'a second purge creates nothing');
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}));

test('install --root refuses a root that does not exist, with one line', async () => {
  const r = await exec(process.execPath, [CLI, 'install', '--root', '/nonexistent/synguard-root']);
  assert.equal(r.exitCode, 2);
  assert.equal(r.stderr, 'synguard: --root /nonexistent/synguard-root does not exist\n');
});
