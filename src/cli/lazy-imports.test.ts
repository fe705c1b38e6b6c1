// What each command loads (issue 11): registering the commands, which `--help` does for all of them, loads no
// schema library, no YAML parser, no metrics client and no SQLite, and no daemon, lab or store code; `status` and
// `bans` load none of these on a host with no config settings and no store. A module log written by a resolve hook
// (testing/module-log.ts) tells what the process loaded.
//
// Two views of one question. Through main.js a command runs from its bundle (bundle/build.ts), where synguard's own
// modules are inside one file and only the packages show in the log. Run unbundled (program.js's run(), as main.js
// does without bundles), every module shows: the bundle keeps each `await import()` lazy, so this is what the bundle
// evaluates too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exec } from '../core/exec.js';
import { tempDir } from '../testing/temp.js';

const CLI = fileURLToPath(new URL('./main.js', import.meta.url));
const PROGRAM = new URL('./program.js', import.meta.url).href;
const HOOK = fileURLToPath(new URL('../testing/module-log.js', import.meta.url));
const dir = tempDir('sg-lazy-');
const config = join(dir, 'config.yaml');
writeFileSync(config, '# every key at its default\n'); // comments only: read without the schema (config/read.ts)
const stateDir = join(dir, 'state'); // no store there

/** The modules `synguard ARGS` loaded, as URLs; its exit code must be 0. Unbundled: program.js's run(). */
async function loaded(args: readonly string[], how: 'main' | 'unbundled' = 'main'): Promise<string[]> {
  const log = join(dir, 'modules.log');
  writeFileSync(log, '');
  const entry = how === 'main' ? [CLI] : ['--input-type=module', '-e', `process.exitCode = await (await import(${JSON.stringify(PROGRAM)})).run(process.argv)`, '--', 'synguard'];
  const r = await exec(process.execPath, ['--import', HOOK, ...entry, ...args], { env: { ...process.env, SYNGUARD_MODULE_LOG: log }, timeoutMs: 30_000 });
  assert.equal(r.exitCode, 0, `${args.join(' ')}: ${r.stderr}`);
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

const HEAVY = [/\/node_modules\/(zod|yaml|prom-client|better-sqlite3)\//, /\/dist\/(daemon|store\/index|store\/open|lab\/runner|http\/server|enforce\/nftables)[./]/];
const heavyIn = (urls: readonly string[]): string[] => urls.filter((u) => HEAVY.some((re) => re.test(u)));
const HELPS = [['--help'], ['run', '--help'], ['ban', '--help'], ['install', '--help'], ['lab', 'run', '--help'], ['config', 'check', '--help'], ['status', '--help'], ['bans', '--help']];

test('--help and each command\'s --help load no schema, YAML, metrics, SQLite, daemon, store or lab code', async () => {
  for (const args of HELPS) {
    for (const how of ['main', 'unbundled'] as const) {
      const urls = await loaded(args, how);
      assert.ok(urls.some((u) => /\/dist\/cli\/(program|bundles\/[\w-]+)\.js$/.test(u)), `${args.join(' ')} (${how}): the log saw the program`);
      assert.deepEqual(heavyIn(urls), [], `${args.join(' ')} (${how})`);
    }
  }
});

test('status and bans --json on a host with no config settings and no store load none of them either', async () => {
  for (const args of [['status', '--json', '--interval', '0'], ['bans', '--json']]) {
    for (const how of ['main', 'unbundled'] as const) {
      const urls = await loaded([...args, '--config', config, '--state-dir', stateDir], how);
      assert.ok(urls.some((u) => u.endsWith('/dist/cli/status-run.js') || u.endsWith('/dist/cli/bans.js') || u.includes('/dist/cli/bundles/')), `${args[0]} (${how}): the log saw the command`);
      assert.deepEqual(heavyIn(urls), [], `${args.join(' ')} (${how})`);
    }
  }
});

test('the log sees them when a command needs them: config check with a setting loads zod and yaml', async () => {
  const set = join(dir, 'set.yaml');
  writeFileSync(set, 'defender:\n  interval: 2s\n');
  for (const how of ['main', 'unbundled'] as const) {
    const urls = await loaded(['config', 'check', '--config', set], how);
    for (const pkg of ['zod', 'yaml']) assert.ok(urls.some((u) => u.includes(`/node_modules/${pkg}/`)), `${pkg} in the log (${how})`);
  }
});
