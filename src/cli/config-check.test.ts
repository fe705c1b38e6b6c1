// `synguard config check`: refuses every bad-config fixture `run` refuses, with the same one line; prints the effective config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { exec } from '../core/exec.js';
import { SynguardError } from '../core/errors.js';
import { loadConfig, parseConfig } from '../config/load.js';
import { tempDir } from '../testing/temp.js';
import { stringify } from 'yaml';

const CLI = fileURLToPath(new URL('./main.js', import.meta.url));
const BAD = fileURLToPath(new URL('../../test/fixtures/bad-config/', import.meta.url));
const run = (args: string[]) => exec(process.execPath, [CLI, ...args], { timeoutMs: 20_000 });

/** The message the loader throws for a file: what `run` prints after "synguard: ". */
function loaderMessage(file: string): string {
  try {
    loadConfig(file);
  } catch (err) {
    assert.ok(err instanceof SynguardError, String(err));
    return err.message;
  }
  assert.fail(`${file} is a valid config: a bad-config fixture must not be`);
}

test('every bad-config fixture: config check and run refuse it with the same line, exit 2, and create nothing', async () => {
  const files = readdirSync(BAD).filter((f) => f.endsWith('.yaml'));
  assert.ok(files.length >= 15, `${files.length} fixtures`);
  const stateDir = join(tempDir('sg-check-'), 'state');
  for (const f of files) {
    const file = join(BAD, f);
    const expected = `synguard: ${loaderMessage(file)}`;
    const check = await run(['config', 'check', '--config', file]);
    assert.equal(check.exitCode, 2, `${f}: ${check.stderr}`);
    assert.equal(check.stderr.trim(), expected, f);
    assert.equal(check.stdout, '', f);
    // only a config that check refused is handed to run: run stops at the same loader, before anything else
    const daemon = await run(['run', '--config', file, '--state-dir', stateDir]);
    assert.equal(daemon.exitCode, 2, `${f}: ${daemon.stderr}`);
    assert.equal(daemon.stderr.trim(), expected, f);
  }
  assert.equal(existsSync(stateDir), false);
});

test('a valid file: OK; --print --json gives the effective config (durations as text) and the allow-list with origins', async () => {
  const dir = tempDir('sg-check-');
  const file = join(dir, 'config.yaml');
  writeFileSync(file, 'defender:\n  interval: 2s\n  allowList: [192.0.2.0/24]\n  bans: { base: 5m }\n');
  const ok = await run(['config', 'check', '-c', file]);
  assert.equal(ok.exitCode, 0, ok.stderr);
  assert.equal(ok.stdout, `${file}: OK\n`);
  const r = await run(['config', 'check', '-c', file, '--print', '--json']);
  assert.equal(r.exitCode, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { ok: boolean; file: string; config: Record<string, unknown>; allowList: Array<{ value: string; source: string }> };
  assert.equal(out.ok, true);
  assert.equal(out.file, file);
  const defender = out.config['defender'] as { interval: number; bans: { base: string; max: string } };
  assert.equal(defender.interval, 2);
  assert.equal(defender.bans.base, '5m');
  assert.equal(defender.bans.max, '1d', 'a default filled in');
  assert.deepEqual(parseConfig(stringify(out.config)), loadConfig(file), 'the printed config reads back as the same config');
  assert.ok(out.allowList.some((e) => e.value === '127.0.0.0/8' && e.source === 'loopback'));
  assert.ok(out.allowList.some((e) => e.value === '192.0.2.0/24' && e.source === 'configured'));
  const yaml = await run(['config', 'check', '-c', file, '--print']);
  assert.equal(yaml.exitCode, 0, yaml.stderr);
  assert.match(yaml.stdout, /^# .*config\.yaml: OK/);
  assert.match(yaml.stdout, /base: 5m/);
  assert.match(yaml.stdout, /- value: 192\.0\.2\.0\/24\n\s+source: configured/);
});
