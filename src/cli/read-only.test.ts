// Read-only commands on a clean machine: no state directory, no database left behind; they say there is no store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { exec } from '../core/exec.js';
import { tempDir } from '../testing/temp.js';
import { needs } from '../testing/needs.js';

const CLI = fileURLToPath(new URL('./main.js', import.meta.url));
const run = (args: string[]) => exec(process.execPath, [CLI, ...args], { timeoutMs: 30_000 });

test('bans, history, upstream status, harden --check, reports and status create nothing and exit 0 with an empty result', async () => {
  const dir = tempDir('sg-ro-');
  const stateDir = join(dir, 'var', 'lib', 'synguard');
  const config = join(dir, 'config.yaml');
  writeFileSync(config, `defender:\n  stateDir: ${stateDir}\n`);
  const noStore = `synguard: no store in ${stateDir} yet (no daemon has run there): nothing recorded`;
  const cases: Array<{ args: string[]; json?: unknown; stdout?: RegExp; says?: boolean }> = [
    { args: ['bans'], stdout: /^no active bans\n$/, says: true },
    { args: ['bans', '--json'], json: [], says: true },
    { args: ['history'], stdout: /Attacks\n {2}none\nDecisions\n {2}none\n/, says: true },
    { args: ['history', '--json'], json: { decisions: [], attacks: [] }, says: true },
    { args: ['upstream', 'status'], stdout: /no open announcements/, says: true },
    { args: ['reports'], stdout: /^no attack reports yet\n$/ },
    { args: ['reports', '--json'], json: [] },
    { args: ['harden', '--check'], stdout: /would change|already hardened/ },
    { args: ['harden', '--check', '--json'], stdout: /^\{\n {2}"changes": \[/ },
    { args: ['status', '--interval', '0'], stdout: /Sysctls/ },
  ];
  for (const c of cases) {
    const r = await run([...c.args, '--config', config]);
    const what = c.args.join(' ');
    assert.equal(r.exitCode, 0, `${what}: ${r.stderr}`);
    if (c.json !== undefined) assert.deepEqual(JSON.parse(r.stdout), c.json, what);
    if (c.stdout) assert.match(r.stdout, c.stdout, what);
    if (c.says) assert.equal(r.stderr.trim(), noStore, what);
    assert.equal(existsSync(stateDir), false, `${what} created ${stateDir}`);
  }
  const up = await run(['upstream', 'status', '--json', '--state-dir', stateDir]);
  assert.equal(up.exitCode, 0, up.stderr);
  const view = JSON.parse(up.stdout) as { announcements: unknown[]; recent: unknown[] };
  assert.deepEqual([view.announcements, view.recent], [[], []]);
  assert.deepEqual(readdirSync(dir), ['config.yaml'], 'nothing else under the temp dir');
});

test('a store this user cannot see is not "no store": a permission error, exit 2, nothing created', needs(['root', 'setpriv'], async () => {
  const stateDir = tempDir('sg-ro-'); // mode 0700, owned by root
  const r = await exec('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, 'bans', '--state-dir', stateDir]);
  assert.equal(r.exitCode, 2, r.stderr);
  assert.match(r.stderr, /^synguard: state directory .* is not writable \(EACCES\): run as root/);
  assert.deepEqual(readdirSync(stateDir), []);
}));
