// The shipped unit and example config: the config loads to exactly the defaults (commented out or not), and the unit
// passes systemd's own verifier with the hardening that still lets synguard do its job.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { configFrom, loadConfig, parseConfig } from '../config/load.js';
import { configSchema } from '../config/schema.js';
import { exec } from '../core/exec.js';
import { contribPath, renderUnit, shippedConfig, shippedUnit } from './service.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));

/** The example with every `# key: value` line uncommented (documentation lines start with `##`). */
const uncommented = (text: string): string => text.split('\n').filter((l) => !l.startsWith('##')).map((l) => l.replace(/^# ?/, '')).join('\n');

test('the example config loads as it is, and uncommented, to exactly the built-in defaults; it shows every section', () => {
  const defaults = configFrom({});
  assert.deepEqual(loadConfig(contribPath('config.example.yaml')), defaults);
  const full = uncommented(shippedConfig());
  assert.deepEqual(parseConfig(full, 'example, uncommented'), defaults);
  // Every section is shown: as `# key: value` lines whose values are the defaults, or, for a section that is absent by
  // default (crowdsec), as documentation lines (`## crowdsec:`), since any value would switch it on.
  const sections = Object.keys(parse(full) as Record<string, unknown>);
  const documented = [...shippedConfig().matchAll(/^## ([a-z]+):$/gm)].map((m) => m[1]!);
  assert.deepEqual([...sections, ...documented].sort(), Object.keys(configSchema.shape).sort(), 'every top-level section of the schema is shown');
  assert.deepEqual(documented, ['crowdsec']);
  // each documented value is the default: change one and the equality breaks (the check can fail)
  assert.notDeepEqual(parseConfig(full.replace('base: 10m', 'base: 20m')), defaults);
});

test('the unit: systemd-analyze verify passes; it keeps CAP_NET_ADMIN, netlink and writable net sysctls', async () => {
  const unit = shippedUnit();
  const directive = (key: string): string[] => [...unit.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((m) => m[1] ?? '');
  assert.deepEqual(directive('ExecStart'), ['/usr/local/bin/synguard run --config /etc/synguard/config.yaml']);
  assert.match(directive('CapabilityBoundingSet').join(' '), /\bCAP_NET_ADMIN\b/);
  assert.doesNotMatch(directive('CapabilityBoundingSet').join(' '), /CAP_SYS_ADMIN/);
  assert.match(directive('RestrictAddressFamilies').join(' '), /\bAF_NETLINK\b/);
  assert.deepEqual(directive('ProtectSystem'), ['strict']);
  assert.deepEqual(directive('ProtectKernelTunables'), ['no'], 'sysctl writes must stay possible');
  assert.match(directive('ReadWritePaths').join(' '), /\/proc\/sys\/net\/ipv4\b.*\/proc\/sys\/net\/core\b/);
  assert.deepEqual(directive('StateDirectory'), ['synguard']);
  assert.deepEqual(directive('Restart'), ['on-failure']);
  assert.deepEqual(directive('NoNewPrivileges'), ['yes']);
  assert.deepEqual(directive('MemoryDenyWriteExecute'), [], 'V8 needs W+X memory');

  const dir = mkdtempSync(join(tmpdir(), 'synguard-unit-'));
  try {
    const path = join(dir, 'synguard.service');
    writeFileSync(path, renderUnit(unit, { command: [process.execPath, CLI], underHome: false }));
    const verify = await exec('systemd-analyze', ['verify', '--man=no', path]);
    assert.equal(verify.spawnError, undefined, 'systemd-analyze is installed (Debian systemd)');
    assert.equal(verify.exitCode, 0, verify.stderr);
    assert.equal(verify.stderr.trim(), '', 'no warning from the verifier');
    // a broken directive is caught, so the check above can fail
    writeFileSync(path, renderUnit(unit, { command: [process.execPath, CLI], underHome: false }).replace('Restart=on-failure', 'Restart=sometimes'));
    const bad = await exec('systemd-analyze', ['verify', '--man=no', path]);
    assert.match(bad.stderr, /restart specifier/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('renderUnit: ExecStart runs the installed binary; under /root or /home, ProtectHome becomes read-only', () => {
  const unit = shippedUnit();
  const plain = renderUnit(unit, { command: ['/usr/bin/synguard'], underHome: false });
  assert.match(plain, /^ExecStart=\/usr\/bin\/synguard run --config \/etc\/synguard\/config\.yaml$/m);
  assert.match(plain, /^ProtectHome=yes$/m);
  const home = renderUnit(unit, { command: ['/usr/bin/node', '/root/my synguard/dist/cli/main.js'], underHome: true });
  assert.match(home, /^ExecStart=\/usr\/bin\/node "\/root\/my synguard\/dist\/cli\/main\.js" run --config/m);
  assert.match(home, /^ProtectHome=read-only$/m);
});
