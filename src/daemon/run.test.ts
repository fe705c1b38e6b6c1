// The daemon as a process, in a throwaway namespace: SIGHUP puts a valid config in force and keeps the old one on error;
// SIGTERM stops it cleanly; a second daemon on the same state directory is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { exec, spawnLong } from '../core/exec.js';
import { withNs } from '../testing/test-ns.js';
import { tempDir } from '../testing/temp.js';
import { NETNS, needs } from '../testing/needs.js';
import { TICK_FILE } from '../store/pidfile.js';
import { jsonLines } from '../testing/json-lines.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));

/** `synguard run` in `ns`, with its own state directory and config (a 0.2 s tick). */
function startRun(ns: string): ReturnType<typeof spawnLong> & { state: string; config: string } {
  const state = tempDir('sg-run-');
  const config = join(state, 'config.yaml');
  writeFileSync(config, 'defender:\n  interval: 0.2\n');
  return { state, config, ...spawnLong(process.execPath, [CLI, 'run', '--state-dir', state, '--config', config], { netns: ns }) };
}

test('SIGHUP puts a new setting in force, a bad config is kept out, a second daemon is refused, SIGTERM stops', needs([...NETNS, 'nft'], async () => {
  await withNs(async (ns) => {
    const { state, config, child, exited } = startRun(ns);
    const events: string[] = [];
    createInterface({ input: child.stdout! }).on('line', (l) => { try { events.push(String((JSON.parse(l) as { event: string }).event)); } catch { /* not JSON */ } });
    const seen = async (event: string) => {
      for (let i = 0; i < 200 && !events.includes(event); i++) await sleep(50);
      assert.ok(events.includes(event), `expected ${event} in ${events.join(', ')}`);
    };
    try {
      await seen('reconcile');
      // the API: health without a token, a ban with the token from the state directory reaches the kernel at once
      const token = readFileSync(join(state, 'api-token'), 'utf8').trim();
      const api = async (method: string, path: string, auth: string | null, body?: unknown) => {
        const script = `fetch('http://127.0.0.1:9717/api/v1' + process.argv[1], { method: process.argv[2], headers: process.argv[3] ? { authorization: 'Bearer ' + process.argv[3], 'content-type': 'application/json' } : {}, body: process.argv[4] || undefined }).then(async (r) => console.log(r.status, await r.text()))`;
        return (await exec(process.execPath, ['-e', script, path, method, auth ?? '', body === undefined ? '' : JSON.stringify(body)], { netns: ns })).stdout.trim();
      };
      assert.match(await api('GET', '/health', null), /^200 /);
      assert.match(await api('POST', '/bans', null, { value: '198.18.7.7' }), /^401 /);
      assert.match(await api('POST', '/bans', token, { value: '198.18.7.7', for: '1h' }), /^201 /);
      let set = '';
      for (let i = 0; i < 40 && !set.includes('198.18.7.7'); i++) {
        await sleep(50);
        set = (await exec('nft', ['list', 'set', 'inet', 'synguard', 'ban4'], { netns: ns })).stdout;
      }
      assert.match(set, /198\.18\.7\.7/, 'the API ban is in the kernel');
      assert.match(await api('DELETE', `/bans/${encodeURIComponent('198.18.7.7/32')}`, token), /^200 /);
      // a ban without --for lasts defender.bans.manual: what the config in force says
      const manualBanHours = async (value: string): Promise<number> => {
        const made = await api('POST', '/bans', token, { value });
        assert.match(made, /^201 /);
        const d = JSON.parse(made.slice(4)) as { createdAt: string; until: string };
        assert.match(await api('DELETE', `/bans/${encodeURIComponent(`${value}/32`)}`, token), /^200 /);
        return (Date.parse(d.until) - Date.parse(d.createdAt)) / 3_600_000;
      };
      assert.equal(await manualBanHours('198.18.7.8'), 24, 'the default before any reload');
      const second = await exec(process.execPath, [CLI, 'run', '--state-dir', state], { netns: ns, timeoutMs: 20_000 });
      assert.equal(second.exitCode, 2);
      assert.match(second.stderr, /another synguard daemon \(pid \d+\) already runs/);
      writeFileSync(config, 'defender:\n  interval: 0.2\n  colour: red\n  bans: { manual: 1h }\n');
      child.kill('SIGHUP');
      await seen('reload-failed');
      assert.equal(await manualBanHours('198.18.7.9'), 24, 'a bad config changes nothing');
      writeFileSync(config, 'defender:\n  interval: 0.3\n  bans: { manual: 2h }\n');
      child.kill('SIGHUP');
      await seen('reload');
      assert.equal(await manualBanHours('198.18.7.10'), 2, 'the reloaded config is in force');
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      // A SIGTERM during a tick lets that tick finish (its commit, and its rest when that unban was the last, may log
      // after 'stopping'); then the daemon stops.
      const after = events.slice(events.lastIndexOf('stopping'));
      assert.equal(after[0], 'stopping', `no 'stopping' line: ${events.join(', ')}`);
      assert.equal(after.at(-1), 'stop');
      assert.deepEqual(after.filter((e) => !['stopping', 'stop', 'commit', 'sockets-killed', 'ban-rules-rest'].includes(e)), [], after.join(', '));
    } finally {
      child.kill('SIGKILL');
      await exec('nft', ['delete', 'table', 'inet', 'synguard'], { netns: ns });
    }
  });
}));

// `synguard run | tee log`, and tee killed: the log has no reader, but the server still needs its defender. It keeps
// ticking (its tick mark moves on) after a line meets the closed pipe, and a SIGTERM still stops it cleanly.
test('its log\'s reader gone: it keeps defending, and a SIGTERM still stops it cleanly', needs([...NETNS, 'nft'], async () => {
  await withNs(async (ns) => {
    const { state, child, exited } = startRun(ns);
    try {
      await jsonLines(child).waitFor((l) => l.event === 'reconcile');
      const mark = () => statSync(join(state, TICK_FILE), { throwIfNoEntry: false })?.mtimeMs ?? 0;
      for (let i = 0; i < 100 && mark() === 0; i++) await sleep(50); // its first tick done
      child.stdout!.destroy();
      child.stderr!.destroy();
      /** Whether the tick mark moved n times within 5 s (false at once if the daemon exited). */
      const ticked = async (n: number): Promise<boolean> => {
        for (let last = mark(), i = 0; n > 0 && i < 100 && child.exitCode === null; i++) {
          await sleep(50);
          if (mark() > last) [last, n] = [mark(), n - 1];
        }
        return n === 0;
      };
      child.kill('SIGHUP'); // its 'reload' line meets the closed pipe, before the second tick after it at the latest
      assert.ok(await ticked(2), 'still running and ticking');
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      child.kill('SIGKILL');
      await exec('nft', ['delete', 'table', 'inet', 'synguard'], { netns: ns });
    }
  });
}));
