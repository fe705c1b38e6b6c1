import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { configFrom } from './load.js';
import { DEFAULTS_FILE, writeDefaults } from './defaults-file.js';
import { readFileSync } from 'node:fs';
import { tempDir } from '../testing/temp.js';
import { readConfig } from './read.js';

test('the defaults file the build writes is the schema\'s defaults, exactly', async () => {
  const file = join(tempDir('sg-defaults-'), 'defaults.json');
  await writeDefaults(file);
  assert.deepStrictEqual(JSON.parse(readFileSync(file, 'utf8')), configFrom({}));
  assert.deepStrictEqual(JSON.parse(readFileSync(DEFAULTS_FILE, 'utf8')), configFrom({}), 'dist/config/defaults.json is stale: npm run build');
});

test('readConfig validates a given file as loadConfig does, and freezes what it returns', async () => {
  const dir = tempDir('sg-read-');
  await assert.rejects(readConfig(join(dir, 'missing.yaml')), /does not exist/);
  const c = await readConfig(); // the defaults file, or /etc/synguard/config.yaml where there is one
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.defender));
});
