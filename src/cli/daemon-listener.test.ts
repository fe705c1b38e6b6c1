// Finding a daemon's API: the listening sockets of a process from /proc, and the fallback when it does not listen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { daemonReach } from './daemon-listener.js';
import { listeningInodes } from '../observe/listening-inodes.js';

const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:25F5 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 41234 1 0000000000000000 100 0 0 10 0
   1: 0100007F:25F5 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 41240 1 0000000000000000 20 4 30 10 -1
   2: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 777 1 0000000000000000 100 0 0 10 0
`;

test('listeningInodes: only LISTEN rows on the port', () => {
  assert.deepEqual([...listeningInodes([TCP, ''], 9717)], ['41234']);
  assert.deepEqual([...listeningInodes([TCP], 80)], ['777']);
  assert.deepEqual([...listeningInodes([TCP], 8080)], []);
});

test('daemonReach: yes for the process that listens on the port, no (with why) for another port', async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as AddressInfo).port;
    assert.deepEqual(daemonReach(process.pid, port), { ok: true });
    const other = daemonReach(process.pid, port === 65_000 ? 65_001 : 65_000);
    assert.equal(other.ok, false);
    assert.match(other.ok ? '' : other.why, /does not listen on port 6500\d .*--config/);
  } finally {
    server.close();
  }
});
