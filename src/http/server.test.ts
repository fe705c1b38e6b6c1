// Listen addresses: loopback serves quietly, the network needs a token and gets a warning, junk is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLoopback, parseListen } from '../config/listen.js';
import { configFrom, parseConfig } from '../config/load.js';
import { openStore } from '../store/index.js';
import { buildAllowList } from '../decide/index.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HttpDeps } from './deps.js';
import { listenPolicy, startHttp } from './server.js';
import { wallClock } from '../testing/clock.js';
import { execOrThrow } from '../core/exec.js';

test('listen addresses parse as HOST:PORT with IPv6 in brackets; loopback is 127/8 and ::1', () => {
  assert.deepEqual(parseListen('127.0.0.1:9717'), { host: '127.0.0.1', port: 9717 });
  assert.deepEqual(parseListen('[::1]:0'), { host: '::1', port: 0 });
  for (const bad of ['localhost:9717', '::1:9717', '[127.0.0.1]:1', '1.2.3.4', '1.2.3.4:70000', '1.2.3.4:80;rm', '']) {
    assert.equal(parseListen(bad), null, bad);
  }
  assert.ok(isLoopback('127.8.0.1') && isLoopback('::1') && isLoopback('0:0:0:0:0:0:0:1'));
  assert.ok(!isLoopback('0.0.0.0') && !isLoopback('::') && !isLoopback('192.0.2.1'));
  assert.equal(configFrom({}).http.listen, '127.0.0.1:9717');
  assert.equal(configFrom({}).http.enabled, true);
  assert.throws(() => parseConfig('http:\n  listen: localhost\n'), /http\.listen: expected HOST:PORT .*found "localhost"/);
  assert.throws(() => parseConfig('http:\n  port: 1\n'), /http\.port: unknown key/);
});

test('outside loopback: refused without a token, warned about with one (decided before binding anything)', () => {
  assert.throws(() => listenPolicy('0.0.0.0:9717', ''), /outside loopback and no API token/);
  assert.match(listenPolicy('0.0.0.0:9717', 't').warning ?? '', /outside loopback/);
  assert.match(listenPolicy('[2001:db8::1]:9717', 't').warning ?? '', /outside loopback/);
  assert.equal(listenPolicy('[::1]:9717', '').warning, null);
});

test('on loopback it serves; junk addresses are refused; an empty token refuses every mutation', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'synguard-server-'));
  const store = openStore(dir);
  const deps = (token: string): HttpDeps => ({
    status: () => null, store, allow: () => buildAllowList({}), config: configFrom({}), token, now: wallClock,
  });
  try {
    await assert.rejects(startHttp(deps(''), '0.0.0.0:0'), /outside loopback and no API token/);
    await assert.rejects(startHttp(deps('t'), 'nowhere:80'), /http\.listen: expected HOST:PORT/);
    const local = await startHttp(deps(''), '127.0.0.1:0');
    assert.equal(local.warning, null);
    assert.match(local.address, /^127\.0\.0\.1:\d+$/);
    const res = await fetch(`http://${local.address}/api/v1/bans`, { method: 'POST', headers: { authorization: 'Bearer x', 'content-type': 'application/json' }, body: '{}' });
    assert.equal(res.status, 403, 'an empty token refuses every mutation');
    await local.close();
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the daemon does not load undici: node:http is taken as the CommonJS object, not through an ES import', async () => {
  // An ES import of node:http reads its WebSocket getter, which loads undici: 13 MB of RSS for a client never used.
  const script = `await import(${JSON.stringify(new URL('../daemon/run.js', import.meta.url).href)});
    const { startHttp } = await import(${JSON.stringify(new URL('./server.js', import.meta.url).href)});
    console.log(typeof startHttp, process.moduleLoadList.filter((m) => m.includes('undici')).length);`;
  const out = await execOrThrow(process.execPath, ['--input-type=module', '-e', script]);
  assert.equal(out.trim(), 'function 0');
});
