import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configFrom } from '../config/load.js';
import { exabgpConfig, exabgpEnv } from './exabgp-config.js';

const bgp = configFrom({ upstream: { bgp: { peer: '198.51.100.1', peerAs: 64500, localAs: 64501, localAddress: '198.51.100.2' } } }).upstream.bgp;
const files = { relay: '/opt/synguard/contrib/exabgp/relay.py', socket: '/var/lib/synguard/exabgp/api.sock' };
const body = (text: string): string[] => text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));

test('the generated ExaBGP config is the one contrib/exabgp/exabgp.conf.example documents', () => {
  const example = readFileSync(fileURLToPath(new URL('../../contrib/exabgp/exabgp.conf.example', import.meta.url)), 'utf8');
  assert.deepEqual(body(exabgpConfig(bgp, files)), body(example));
  const env = exabgpEnv('root');
  for (const [k, v] of Object.entries(env)) assert.match(example, new RegExp(`${k}=${k === 'exabgp_daemon_user' ? '<' : v}`), k);
});

test('paths that could break the config are refused; missing session keys are an error', () => {
  assert.throws(() => exabgpConfig(bgp, { ...files, socket: '/tmp/a;b' }), /unsafe path/);
  assert.throws(() => exabgpConfig(configFrom({}).upstream.bgp, files), /needs peer, peerAs, localAs and localAddress/);
});
