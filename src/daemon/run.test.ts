// The daemon as a process, in a throwaway namespace: SIGHUP reloads a valid config and keeps the old one on error;
// SIGTERM stops it cleanly; a second daemon on the same state directory is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { exec, spawnLong } from '../core/exec.js';
import { withNs } from '../enforce/test-ns.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));

test('SIGHUP reloads, a bad config is kept out, a second daemon is refused, SIGTERM stops', async () => {
  await withNs(async (ns) => {
    const state = mkdtempSync(join(tmpdir(), 'sg-run-'));
    const config = join(state, 'config.yaml');
    writeFileSync(config, 'defender:\n  interval: 0.2\n');
    const { child, exited } = spawnLong(process.execPath, [CLI, 'run', '--state-dir', state, '--config', config], { netns: ns });
    const events: string[] = [];
    createInterface({ input: child.stdout! }).on('line', (l) => { try { events.push(String((JSON.parse(l) as { event: string }).event)); } catch { /* not JSON */ } });
    const seen = async (event: string) => {
      for (let i = 0; i < 200 && !events.includes(event); i++) await sleep(50);
      assert.ok(events.includes(event), `expected ${event} in ${events.join(', ')}`);
    };
    try {
      await seen('reconcile');
      const second = await exec(process.execPath, [CLI, 'run', '--state-dir', state], { netns: ns, timeoutMs: 20_000 });
      assert.equal(second.exitCode, 2);
      assert.match(second.stderr, /another synguard daemon \(pid \d+\) already runs/);
      writeFileSync(config, 'defender:\n  interval: 0.2\n  colour: red\n');
      child.kill('SIGHUP');
      await seen('reload-failed');
      writeFileSync(config, 'defender:\n  interval: 0.3\n');
      child.kill('SIGHUP');
      await seen('reload');
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      assert.deepEqual(events.slice(-2), ['stopping', 'stop']);
    } finally {
      child.kill('SIGKILL');
      await exec('nft', ['delete', 'table', 'inet', 'synguard'], { netns: ns });
    }
  });
});
