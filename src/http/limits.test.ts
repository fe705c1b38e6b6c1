// The API against slow and oversized clients: a request whose headers never finish is answered 408 and closed (the
// headers timeout), headers over 16 KiB 431, a body over 8 KiB 413; the server keeps serving others meanwhile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startTestApi } from '../testing/test-app.js';

/** Opens a socket, writes `text` (and nothing after), and resolves with what the server wrote before closing. */
function rawExchange(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => { answer += d; });
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? resolve(answer) : reject(err)));
    socket.on('close', () => resolve(answer));
  });
}

test('slow-loris headers get 408 and the connection closed; huge headers 431; the API answers others meanwhile', async () => {
  const api = await startTestApi();
  const port = Number(new URL(api.base).port);
  try {
    const slow = rawExchange(port, 'GET /api/v1/health HTTP/1.1\r\nhost: 127.0.0.1\r\nx-slow: 1');
    assert.equal((await api.call('/api/v1/health', { token: null })).status, 200, 'others are served');
    assert.match(await slow, /^HTTP\/1\.1 408 /);
    const huge = await rawExchange(port, `GET /api/v1/health HTTP/1.1\r\nhost: 127.0.0.1\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`);
    assert.match(huge, /^HTTP\/1\.1 431 /);
  } finally {
    await api.close();
  }
});
