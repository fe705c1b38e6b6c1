// The command bundles (build.ts) and main.js's choice between a bundle and program.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exec } from '../../core/exec.js';
import { tempDir } from '../../testing/temp.js';
import { COMMAND_MODULES } from '../commands.js';

const CLI_DIR = fileURLToPath(new URL('../', import.meta.url));
const BUNDLES = join(CLI_DIR, 'bundles');
const HOOK = fileURLToPath(new URL('../../testing/module-log.js', import.meta.url));
/** What main.js itself imports before the command's code. */
const MAIN_PARTS = ['main.js', 'commands.js', 'compile-cache.js', 'node-version.js', 'version.js'];

test('npm run build made one bundle per command module', () => {
  const made = readdirSync(BUNDLES).filter((f) => f.endsWith('.js')).sort();
  assert.deepEqual(made, Object.keys(COMMAND_MODULES).map((m) => `${m}.js`).sort());
});

test('a command runs from its bundle alone: no module of synguard is loaded beside it, so none exists twice', async () => {
  const dir = tempDir('sg-bundle-');
  const log = join(dir, 'modules.log');
  for (const [mod, names] of Object.entries(COMMAND_MODULES)) {
    writeFileSync(log, '');
    const r = await exec(process.execPath, ['--import', HOOK, join(CLI_DIR, 'main.js'), names[0], '--help'], { env: { ...process.env, SYNGUARD_MODULE_LOG: log }, timeoutMs: 30_000 });
    assert.equal(r.exitCode, 0, `${names[0]} --help: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`Usage: synguard ${names[0]}`));
    const ours = readFileSync(log, 'utf8').split('\n').filter((u) => u.startsWith('file:') && !u.includes('/node_modules/'));
    const expected = [...MAIN_PARTS.map((f) => join(CLI_DIR, f)), join(BUNDLES, `${mod}.js`)];
    assert.deepEqual(ours.map((u) => fileURLToPath(u)).sort(), expected.sort(), mod);
  }
});

test('each module in a bundle still finds its files: every rewritten import.meta.url names a file under dist/', () => {
  let rewritten = 0;
  for (const file of readdirSync(BUNDLES).filter((f) => f.endsWith('.js'))) {
    const text = readFileSync(join(BUNDLES, file), 'utf8');
    for (const m of text.matchAll(/new URL\("([^"]+)",\s*import\.meta\.url\)/g)) {
      const target = resolve(BUNDLES, m[1]!);
      assert.ok(target.startsWith(dirname(CLI_DIR)), `${file}: ${m[1]} leaves dist/`);
      assert.ok(existsSync(target), `${file}: ${m[1]} does not exist`);
      rewritten++;
    }
  }
  assert.ok(rewritten >= 3, `found ${rewritten} rewritten import.meta.url`); // defaults file, lab scripts, web dir, ...
});

test('built-ins come through process.getBuiltinModule: status from its bundle never loads fs/promises or undici', async () => {
  const dir = tempDir('sg-bundle-');
  const list = join(dir, 'load-list');
  const dump = `data:text/javascript,process.on('exit',()=>process.getBuiltinModule('fs').writeFileSync(${JSON.stringify(list)},process.moduleLoadList.join('\\n')))`;
  const r = await exec(process.execPath, ['--import', dump, join(CLI_DIR, 'main.js'), 'status', '--json', '--interval', '0'], { timeoutMs: 30_000 });
  assert.equal(r.exitCode, 0, r.stderr);
  const loadedList = readFileSync(list, 'utf8').split('\n');
  assert.ok(loadedList.includes('NativeModule child_process'), 'the list is the status run\'s'); // it spawned ss
  assert.deepEqual(loadedList.filter((m) => /internal\/fs\/promises|undici/.test(m)), []);
});

test('main.js runs the bundle only when it is there and not older than program.js; help and typos get program.js', async () => {
  const dir = tempDir('sg-bundle-main-');
  mkdirSync(join(dir, 'bundles'));
  for (const f of MAIN_PARTS) copyFileSync(join(CLI_DIR, f), join(dir, f));
  const stub = (said: string) => `export async function run() { process.stdout.write(${JSON.stringify(said)}); return 0; }\n`;
  writeFileSync(join(dir, 'program.js'), stub('program'));
  writeFileSync(join(dir, 'bundles', 'status.js'), stub('bundle'));
  const said = async (...args: string[]) => (await exec(process.execPath, [join(dir, 'main.js'), ...args], { timeoutMs: 30_000 })).stdout;
  const at = (iso: string, file: string) => utimesSync(file, new Date(iso), new Date(iso));
  at('2026-01-01T00:00:00Z', join(dir, 'program.js'));
  at('2026-01-01T00:30:00Z', join(dir, 'bundles', 'status.js'));
  assert.equal(await said('status'), 'bundle');
  assert.equal(await said('--help'), 'program');
  assert.equal(await said('statsu'), 'program');
  assert.equal(await said('bans'), 'program'); // no bundle for it here
  at('2026-01-01T01:00:00Z', join(dir, 'program.js')); // tsc ran again, the bundler did not
  assert.equal(await said('status'), 'program');
  rmSync(join(dir, 'bundles'), { recursive: true });
  assert.equal(await said('status'), 'program');
});
