// The real servers' generated configs: every path under the run's directory, the documented limits, nothing from /etc.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apacheConfig, configPath, nginxConfig, serverCommand } from './server-config.js';

const p = { dir: '/tmp/run-x/server', labId: 'abc123' };
const l = { port: 8080, backlog: 511 };
const absolutePaths = (text: string): string[] => [...text.matchAll(/(?<![\w:<])\/(?:[\w.-]+\/?)+/g)].map((m) => m[0]);

test('nginx: 1 worker, 512 connections, the backlog on both listeners, every path under the run dir', () => {
  const c = nginxConfig(p, l);
  assert.match(c, /^worker_processes 1;$/m);
  assert.match(c, /worker_connections 512;/);
  assert.match(c, /listen 0\.0\.0\.0:8080 backlog=511;/);
  assert.match(c, /listen \[::\]:8080 ipv6only=on backlog=511;/);
  assert.match(c, /^daemon off;$/m);
  for (const path of absolutePaths(c)) assert.ok(path.startsWith('/tmp/run-x/server/'), path);
});

test('apache: prefork from Debian\'s module dir, MaxRequestWorkers 150, Timeout 300, paths under the run dir', () => {
  const c = apacheConfig(p, l);
  assert.match(c, /^LoadModule mpm_prefork_module \/usr\/lib\/apache2\/modules\/mod_mpm_prefork\.so$/m);
  assert.match(c, /^MaxRequestWorkers 150$/m);
  assert.match(c, /^Timeout 300$/m);
  assert.match(c, /^ListenBacklog 511$/m);
  assert.doesNotMatch(c, /\/etc\/|\$\{APACHE_/);
  for (const path of absolutePaths(c)) assert.ok(path.startsWith('/tmp/run-x/server') || path.startsWith('/usr/lib/apache2/modules/'), path);
});

test('commands: the config named by the lab id, foreground, Debian\'s env pointed at the run dir', () => {
  assert.equal(configPath('nginx', p), '/tmp/run-x/server/sgl-abc123-nginx.conf');
  assert.deepEqual(serverCommand('nginx', p).args, ['-e', '/tmp/run-x/server/error.log', '-p', '/tmp/run-x/server/', '-c', '/tmp/run-x/server/sgl-abc123-nginx.conf']);
  const a = serverCommand('apache-prefork', p);
  assert.ok(a.args.includes('-DFOREGROUND'));
  for (const v of [a.env['APACHE_RUN_DIR'], a.env['APACHE_LOCK_DIR'], a.env['APACHE_LOG_DIR']]) assert.ok(v?.startsWith('/tmp/run-x/server'));
});
