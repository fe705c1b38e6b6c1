import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configFrom, loadConfig } from './load.js';
import { DEFAULTS_FILE, writeDefaults } from './defaults-file.js';
import { tempDir } from '../testing/temp.js';
import { onlyComments, readConfig } from './read.js';

test('the defaults file the build writes is the schema\'s defaults, exactly', async () => {
  const file = join(tempDir('sg-defaults-'), 'defaults.json');
  await writeDefaults(file);
  assert.deepStrictEqual(JSON.parse(readFileSync(file, 'utf8')), configFrom({}));
  assert.deepStrictEqual(JSON.parse(readFileSync(DEFAULTS_FILE, 'utf8')), configFrom({}), 'dist/config/defaults.json is stale: npm run build');
});

test('a file of comments only (the shipped example) gives the defaults, frozen, as loadConfig does', async () => {
  const example = new URL('../../contrib/config.example.yaml', import.meta.url);
  assert.ok(onlyComments(readFileSync(example, 'utf8')), 'contrib/config.example.yaml is all comments');
  const dir = tempDir('sg-read-');
  const file = join(dir, 'config.yaml');
  writeFileSync(file, '\uFEFF# defender:\n#   interval: 1\n\n   # indented comment\n');
  const c = await readConfig(file);
  assert.deepStrictEqual(c, loadConfig(file));
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.defender.bans));
});

test('anything else is validated by loadConfig: its values, its errors, a missing file named', async () => {
  const dir = tempDir('sg-read-');
  const file = join(dir, 'config.yaml');
  writeFileSync(file, '# the interval\ndefender:\n  interval: 2\n');
  assert.equal((await readConfig(file)).defender.interval, 2);
  writeFileSync(file, 'defender:\n  nosuchkey: 1\n');
  await assert.rejects(readConfig(file), /defender\.nosuchkey: unknown key/);
  await assert.rejects(readConfig(join(dir, 'missing.yaml')), /does not exist/);
  assert.equal(onlyComments('a: 1 # not only'), false);
});
