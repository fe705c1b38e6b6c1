// The allow-list readers against a real kernel: a throwaway network namespace with addresses and default routes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { execOrThrow } from '../core/exec.js';
import { readOwnAddresses } from './addresses.js';
import { readGateways } from './routes.js';
import { NETNS, needs } from '../testing/needs.js';

const ip = (...args: string[]) => execOrThrow('ip', args);

test('own addresses and gateways read from a lab namespace', needs(NETNS, async () => {
  const ns = `sgal-${process.pid}-${randomBytes(3).toString('hex')}`;
  await ip('netns', 'add', ns);
  try {
    await ip('-n', ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
    for (const l of ['lo', 'v0', 'v1']) await ip('-n', ns, 'link', 'set', l, 'up');
    await ip('-n', ns, 'addr', 'add', '198.18.77.2/24', 'dev', 'v0');
    await ip('-n', ns, 'addr', 'add', '2001:db8:7::2/64', 'dev', 'v0', 'nodad');
    await ip('-n', ns, 'route', 'add', 'default', 'via', '198.18.77.1', 'dev', 'v0');
    await ip('-n', ns, '-6', 'route', 'add', 'default', 'via', '2001:db8:7::1', 'dev', 'v0');
    const own = await readOwnAddresses({ netns: ns });
    for (const a of ['127.0.0.1', '::1', '198.18.77.2', '2001:db8:7::2']) assert.ok(own.includes(a), `${a} in ${own.join(' ')}`);
    assert.deepEqual(await readGateways({ netns: ns }), ['198.18.77.1', '2001:db8:7::1']);
  } finally {
    await ip('netns', 'del', ns);
  }
}));
