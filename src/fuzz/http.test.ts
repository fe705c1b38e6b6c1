// Fuzz: the HTTP API over a real loopback socket (src/http/test-app.ts): random methods, paths, query strings, headers
// and bodies, written as raw HTTP/1.1. Never a 5xx; a refused request (4xx) changes nothing: no decision stored, no
// wake-up of the daemon (which is what would reach the kernel).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import fc from 'fast-check';
import { startTestApi, TEST_TOKEN } from '../testing/test-app.js';
import { checkAsync } from './runs.js';

const PATHS = ['/api/v1/health', '/api/v1/status', '/api/v1/bans', '/api/v1/bans/198.18.0.1', '/api/v1/bans/198.51.100.0%2F28', '/api/v1/history',
  '/api/v1/hardening', '/api/v1/reports', '/api/v1/reports/20261126T012345Z-7', '/api/v1/upstream', '/metrics', '/', '/assets/app.js', '/api/v1/stream', '/api/v2/x', '//', '/api/v1/bans/'];
const urlChar = fc.constantFrom(...'abcxyz0123456789-._~%2F/:?#[]@!$&\'()*+,;=ABCFf'.split(''));
const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 });
const address = fc.constantFrom('198.18.0.9', '198.18.0.0/24', '::ffff:198.18.0.7', '2001:db8::1/128', '0.0.0.0/0', '127.0.0.1', '192.0.2.1', '198.51.100.3', '010.1.1.1', 'fe80::1%eth0', '', 'x');

const request = fc.record({
  method: fc.oneof(fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'HEAD', 'OPTIONS'), fc.stringMatching(/^[A-Z]{1,8}$/)),
  path: fc.oneof(fc.constantFrom(...PATHS), fc.tuple(fc.constantFrom(...PATHS), fc.string({ unit: urlChar, maxLength: 30 })).map(([p, s]) => p + s)),
  query: fc.array(fc.tuple(fc.constantFrom('limit', 'offset', 'order', 'since', 'x', 'limit'), fc.oneof(fc.constantFrom('0', '1', '1000', '1001', '-1', 'desc', 'asc', '1e3', '99999999999'), printable.map(encodeURIComponent))), { maxLength: 3 }),
  auth: fc.oneof(fc.constant(`Bearer ${TEST_TOKEN}`), fc.constant(null), printable, fc.constant('Bearer wrong'), fc.constant(`bearer  ${TEST_TOKEN} `)),
  type: fc.option(fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'APPLICATION/JSON', 'multipart/form-data')),
  extra: fc.array(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/), printable), { maxLength: 3 }),
  body: fc.oneof(
    fc.constant(''),
    fc.record({ value: fc.oneof(address, printable), for: fc.option(fc.oneof(fc.constantFrom('1h', '0s', '-1h', '99999d', '1.5h'), printable), { nil: undefined }), reason: fc.option(printable, { nil: undefined }) }, { requiredKeys: [] }).map((b) => JSON.stringify(b)),
    fc.json(),
    printable,
    fc.nat({ max: 20_000 }).map((n) => `{"value":"${'1'.repeat(n)}"}`),
  ),
});

/** Nearly well-formed bans and unbans, so the fuzzer also reaches the paths that store and wake the daemon. */
const banRequest = fc.record({
  method: fc.constantFrom('POST', 'DELETE'),
  path: fc.oneof(fc.constant('/api/v1/bans'), address.map((a) => `/api/v1/bans/${encodeURIComponent(a)}`)),
  auth: fc.oneof(fc.constant(`Bearer ${TEST_TOKEN}`), fc.constant('Bearer wrong'), fc.constant(null)),
  body: fc.record({ value: address, for: fc.option(fc.constantFrom('1h', '0s', '-1h', '99999d', '1.5h', '10m'), { nil: undefined }) }, { requiredKeys: ['value'] }).map((b) => JSON.stringify(b)),
}).map((r): Req => ({ ...r, query: [], type: 'application/json', extra: [] }));

type Req = typeof request extends fc.Arbitrary<infer T> ? T : never;

/** Writes the request as raw HTTP/1.1 and resolves with the status code of the answer (0 if none came). */
function send(port: number, r: Req): Promise<number> {
  const q = r.query.map(([k, v]) => `${k}=${v}`).join('&');
  const body = Buffer.from(r.body);
  const head = [`${r.method} ${r.path}${q ? `?${q}` : ''} HTTP/1.1`, 'host: 127.0.0.1', 'connection: close', `content-length: ${body.length}`,
    ...(r.auth === null ? [] : [`authorization: ${r.auth}`]), ...(r.type === null ? [] : [`content-type: ${r.type}`]), ...r.extra.map(([k, v]) => `x-${k}: ${v}`)];
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => { answer += d; });
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)) : reject(err)));
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)));
    socket.end(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), body]));
  });
}

test('found by the fuzzer: GET // was a 500 (read as a URL with an empty host); now a 404', async () => {
  const api = await startTestApi();
  try {
    assert.equal(await send(Number(new URL(api.base).port), { method: 'GET', path: '//', query: [], auth: null, type: null, extra: [], body: '' }), 404);
  } finally {
    await api.close();
  }
});

test('fuzz: HTTP API: never a 5xx; a refused request changes nothing', async () => {
  const api = await startTestApi();
  const port = Number(new URL(api.base).port);
  const statuses = new Map<number, number>();
  const stored = () => JSON.stringify(api.store.decisions.history());
  try {
    await checkAsync('HTTP API', fc.asyncProperty(fc.oneof(request, banRequest), async (r) => {
      const before = stored();
      const changes = api.changes.count;
      const status = await send(port, r);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      assert.ok(status > 0 && status < 500, `${r.method} ${r.path} answered ${status}`);
      if (status >= 400) {
        assert.equal(stored(), before, `${r.method} ${r.path} refused (${status}) but the store changed`);
        assert.equal(api.changes.count, changes, 'refused but the daemon was woken');
      }
      // What was stored never names an allow-listed address (192.0.2.1, 198.51.100.0/28, loopback).
      for (const d of api.store.decisions.active(api.now())) assert.ok(!/^(127\.|192\.0\.2\.1\/|198\.51\.100\.)/.test(d.value), d.value);
    }), 400, [
      // One of each outcome whatever the seed: a random run of 400 reaches a stored ban only a few times (about 1 in
      // 25 seeds never did, and the coverage check below failed a CI run).
      [{ method: 'POST', path: '/api/v1/bans', query: [], auth: `Bearer ${TEST_TOKEN}`, type: 'application/json', extra: [], body: '{"value":"198.18.0.9","for":"1h"}' }],
      [{ method: 'GET', path: '/api/v1/health', query: [], auth: `Bearer ${TEST_TOKEN}`, type: null, extra: [], body: '' }],
      [{ method: 'POST', path: '/api/v1/bans', query: [], auth: 'Bearer wrong', type: 'application/json', extra: [], body: '{"value":"198.18.0.9"}' }],
    ]);
    console.log(`# statuses: ${[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`);
    assert.ok((statuses.get(201) ?? 0) > 0 && (statuses.get(200) ?? 0) > 0 && [...statuses.keys()].some((s) => s >= 400), 'both answers and refusals were reached');
  } finally {
    await api.close();
  }
});
