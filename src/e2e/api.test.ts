// End to end: the HTTP API of a real daemon (`synguard run`) in a lab victim namespace, called from inside that
// namespace: refused without the right token, bad bodies and hostile addresses answered 4xx with nothing reaching the
// kernel, then bans round-tripping into the kernel's nft sets, through the API and through the CLI (which uses it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { exec, spawnLong } from '../core/exec.js';
import { withLab } from '../lab/topology.js';
import { wallClock } from '../testing/clock.js';
import { LAB, needs } from '../testing/needs.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const API = 'http://127.0.0.1:9717/api/v1';

/** fetch() run by a node process inside the namespace: the request never leaves it. */
const CALL = `
const [url, method, headers, body] = process.argv.slice(1);
const res = await fetch(url, { method, headers: JSON.parse(headers), ...(body ? { body } : {}) });
process.stdout.write(JSON.stringify({ status: res.status, body: await res.text() }));`;

interface Answer { status: number; error: string; json: unknown }

async function call(ns: string, method: string, path: string, opts: { token?: string; body?: string; type?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = opts.type ?? 'application/json';
  const r = await exec(process.execPath, ['--input-type=module', '-e', CALL, `${API}${path}`, method, JSON.stringify(headers), opts.body ?? ''], { netns: ns });
  assert.equal(r.exitCode, 0, r.stderr);
  const { status, body } = JSON.parse(r.stdout) as { status: number; body: string };
  const json = JSON.parse(body) as unknown;
  const error = (json as { error?: unknown }).error;
  return { status, json, error: typeof error === 'string' ? error : '' };
}

const cli = (ns: string, ...args: string[]) => exec(process.execPath, [CLI, ...args], { netns: ns, timeoutMs: 30_000 });
const nftSet = async (ns: string, set: string) => (await exec('nft', ['list', 'set', 'inet', 'synguard', set], { netns: ns })).stdout;

async function until(what: string, check: () => Promise<boolean>, ms = 5000): Promise<void> {
  for (const start = wallClock(); wallClock() - start < ms; await sleep(100)) if (await check()) return;
  throw new Error(`not within ${ms} ms: ${what}`);
}

test('the API of a daemon in a lab namespace: auth, bad input, and bans into the kernel and back', needs(LAB, async () => {
  await withLab({ attackers: 1 }, async (lab) => {
    const ns = lab.victim.ns;
    const state = mkdtempSync(join(tmpdir(), 'sg-e2e-api-'));
    const { child, exited } = spawnLong(process.execPath, [CLI, 'run', '--state-dir', state], { netns: ns });
    const events: string[] = [];
    const notJournalLines: string[] = []; // journald keeps one entry per line: every line must be one JSON object, no ANSI
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    createInterface({ input: child.stdout! }).on('line', (l) => {
      try {
        const line = JSON.parse(l) as { event?: unknown; time?: unknown; level?: unknown };
        if (typeof line.event !== 'string' || typeof line.time !== 'string' || typeof line.level !== 'string' || l.includes('\x1b')) notJournalLines.push(l);
        events.push(String(line.event));
      } catch {
        notJournalLines.push(l);
      }
    });
    try {
      await until('the daemon serves its API', () => Promise.resolve(events.includes('reconcile') && events.includes('http')), 15_000);
      const token = (await cli(ns, 'token', '--state-dir', state)).stdout.trim();
      assert.match(token, /^[A-Za-z0-9_-]{43}$/);
      const v4 = lab.attackers[0]!.v4[0]!, v6 = lab.attackers[0]!.v6[0]!;
      const post = (body: string, t: string | null = token) => call(ns, 'POST', '/bans', { body, ...(t !== null ? { token: t } : {}) });

      // auth
      const none = await post(JSON.stringify({ value: v4 }), null);
      assert.equal(none.status, 401, none.error);
      assert.equal((await call(ns, 'DELETE', `/bans/${encodeURIComponent(v4)}`)).status, 401);
      assert.equal((await post(JSON.stringify({ value: v4 }), 'x'.repeat(43))).status, 403);

      // bad bodies: each a 4xx with a message, never a ban
      assert.equal((await post(JSON.stringify({ value: v4, reason: 'x'.repeat(9000) }))).status, 413);
      const malformed = await post('{"value": "198.18.0.1",');
      assert.equal(malformed.status, 400);
      assert.match(malformed.error, /malformed JSON/);
      const wrongType = await post(JSON.stringify({ value: 203 }));
      assert.equal(wrongType.status, 400);
      assert.match(wrongType.error, /^value: .*expected string/);
      assert.match((await post(JSON.stringify({ value: v4, for: 5 }))).error, /^for: /);
      assert.match((await post(JSON.stringify({ value: v4, extra: 1 }))).error, /extra: unknown key/);
      assert.equal((await call(ns, 'POST', '/bans', { token, body: JSON.stringify({ value: v4 }), type: 'text/plain' })).status, 415);
      for (const hostile of ['1.2.3.4;reboot', '$(id)', '`id`', '198.18.0.1 && reboot', '198.18.0.0/33', '2001:db8::/129', '198.18.0.1/-1']) {
        const r = await post(JSON.stringify({ value: hostile }));
        assert.equal(r.status, 400, `${hostile}: ${r.status} ${r.error}`);
        assert.ok(r.error.length > 0 && !r.error.includes('\n'), `one line for ${hostile}`);
      }
      assert.equal((await call(ns, 'DELETE', `/bans/${encodeURIComponent('$(id)')}`, { token })).status, 400);
      assert.equal((await call(ns, 'DELETE', '/bans/198.18.0.0%2F33', { token })).status, 400);
      assert.doesNotMatch(await nftSet(ns, 'ban4'), /elements/, 'nothing reached the kernel');
      assert.equal(((await call(ns, 'GET', '/bans')).json as { total: number }).total, 0);

      // a ban through the API reaches the kernel, is listed by the CLI (through the API), and goes away again
      const created = await post(JSON.stringify({ value: v4, for: '10m', reason: 'e2e api' }));
      assert.equal(created.status, 201, created.error);
      await until(`${v4} in the kernel's ban4 set`, async () => (await nftSet(ns, 'ban4')).includes(v4));
      const listed = await cli(ns, 'bans', '--json', '--state-dir', state);
      assert.equal(listed.stderr, '', 'no fallback note: the CLI read the API');
      const bans = JSON.parse(listed.stdout) as Array<{ value: string; reason: string; origin: string }>;
      assert.deepEqual(bans.map((b) => [b.value, b.reason, b.origin]), [[`${v4}/32`, 'e2e api', 'manual']]);
      // the same output from the store, when the CLI is told the API is off (it says so on stderr)
      const noApi = join(state, 'no-api.yaml');
      writeFileSync(noApi, 'http:\n  enabled: false\n');
      const fromStore = await cli(ns, 'bans', '--json', '--state-dir', state, '--config', noApi);
      assert.equal(fromStore.stdout, listed.stdout);
      assert.match(fromStore.stderr, /^synguard: note: the daemon \(pid \d+\) runs but its API cannot be used \(http.enabled is false\): using the store/);
      const deleted = await call(ns, 'DELETE', `/bans/${encodeURIComponent(`${v4}/32`)}`, { token });
      assert.equal(deleted.status, 200, deleted.error);
      await until(`${v4} gone from the kernel`, async () => !(await nftSet(ns, 'ban4')).includes(v4));

      // the CLI's ban and unban while the daemon runs go through the API (an unban there is ended "by api")
      const ban = await cli(ns, 'ban', v6, '--for', '10m', '--reason', 'by cli', '--state-dir', state);
      assert.equal(ban.exitCode, 0, ban.stderr);
      assert.equal(ban.stderr, '');
      assert.match(ban.stdout, new RegExp(`^banned ${v6}/128 until \\S+: the running daemon applies it within one tick\\n$`));
      await until(`${v6} in the kernel's ban6 set`, async () => (await nftSet(ns, 'ban6')).includes(v6));
      const bad = await cli(ns, 'ban', '198.18.0.0/33', '--state-dir', state);
      assert.equal(bad.exitCode, 2);
      const unban = await cli(ns, 'unban', `${v6}/128`, '--state-dir', state);
      assert.equal(unban.exitCode, 0, unban.stderr);
      assert.equal(unban.stdout, `unbanned ${v6}/128: the running daemon lifts it within one tick\n`);
      await until(`${v6} gone from the kernel`, async () => !(await nftSet(ns, 'ban6')).includes(v6));
      const again = await cli(ns, 'unban', `${v6}/128`, '--state-dir', state);
      assert.equal(again.exitCode, 2);
      assert.equal(again.stderr, `synguard: no active ban on ${v6}/128 (synguard bans lists them)\n`);
      const history = JSON.parse((await cli(ns, 'history', '--json', '--state-dir', state)).stdout) as { decisions: Array<{ value: string; endedBy: string | null }> };
      assert.deepEqual(history.decisions.filter((d) => d.value === `${v6}/128`).map((d) => d.endedBy), ['api']);

      // a rotated token reaches the running daemon (SIGHUP): the old one is refused, the CLI's ban goes through
      const rotated = await cli(ns, 'token', '--rotate', '--state-dir', state);
      assert.equal(rotated.exitCode, 0, rotated.stderr);
      assert.match(rotated.stderr, /was told to reload \(SIGHUP\)/);
      const fresh = rotated.stdout.trim();
      assert.notEqual(fresh, token);
      await until('the old token refused', async () => (await call(ns, 'DELETE', `/bans/${encodeURIComponent(`${v4}/32`)}`, { token })).status === 403);
      assert.equal((await call(ns, 'POST', '/bans', { token: fresh, body: JSON.stringify({ value: v4, for: '1m' }) })).status, 201, 'the new token works');
      assert.ok(events.includes('token-reloaded'));

      child.kill('SIGTERM');
      await exited;
      assert.ok(events.includes('stop'), 'the daemon logged its stop');
      assert.deepEqual(notJournalLines, [], 'every stdout line is one JSON object with time, level and event');
      assert.equal(stderr, '', 'nothing on stderr');
    } finally {
      child.kill('SIGTERM');
      await exited;
      rmSync(state, { recursive: true, force: true });
    }
  });
}));
