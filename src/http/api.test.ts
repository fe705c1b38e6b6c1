// The API in-process on 127.0.0.1:0: auth, bad bodies, bad addresses, a ban round trip, pagination, 404 and 405.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { StatusReport } from '../detect/report.js';
import { T0 } from '../testing/samples.js';
import { captureReport, startTestApi, type TestApi } from '../testing/test-app.js';

let api: TestApi;
before(async () => { api = await startTestApi(); });
after(() => api.close());

const errorOf = async (res: Response): Promise<string> => ((await res.json()) as { error: string }).error;

test('health and status are open; status is the report status --json prints', async () => {
  const health = await api.call('/api/v1/health', { token: null });
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: 'ok', time: new Date(api.now()).toISOString(), sampling: true });
  const res = await api.call('/api/v1/status', { token: null });
  assert.equal(res.status, 200);
  const status = (await res.json()) as StatusReport;
  // what `synguard status --json` prints for the same two samples (JSON.stringify of the report), nothing left out
  assert.deepEqual(status, JSON.parse(JSON.stringify(captureReport('spoofed-v4-cookies'))));
  // and that report says what the capture holds: the spoofed flood the cookies carry, at the capture's instant
  assert.equal(status.assessment.kind, 'spoofed-syn-flood');
  assert.equal(status.takenAt, new Date(T0 + 1000).toISOString());
  assert.deepEqual(status.totals, { sockets: 138, halfOpen: 129, established: 5, sources: 132, halfOpenSources: 129 });
});

test('mutations without the token are 401, with a wrong one 403, and nothing is stored', async () => {
  const none = await api.call('/api/v1/bans', { method: 'POST', json: { value: '203.0.113.7' }, token: null });
  assert.equal(none.status, 401);
  assert.equal(none.headers.get('www-authenticate'), 'Bearer');
  assert.match(await errorOf(none), /Authorization: Bearer/);
  const wrong = await api.call('/api/v1/bans', { method: 'POST', json: { value: '203.0.113.7' }, token: 'nope' });
  assert.equal(wrong.status, 403);
  assert.equal((await api.call('/api/v1/bans/203.0.113.7', { method: 'DELETE', token: null })).status, 401);
  assert.deepEqual(api.store.decisions.active(api.now()), [], 'no ban in force at the server\'s clock');
  assert.deepEqual(api.store.decisions.byValue('203.0.113.7/32'), [], 'nothing stored, not even an expired ban');
});

test('bodies: oversized 413, malformed 400, not JSON 415, wrong types and unknown keys 400 naming the field', async () => {
  const big = await api.call('/api/v1/bans', { method: 'POST', json: { value: '203.0.113.7', reason: 'x'.repeat(20_000) } });
  assert.equal(big.status, 413);
  assert.match(await errorOf(big), /larger than 8192 bytes/);
  const bad = await api.call('/api/v1/bans', { method: 'POST', body: '{"value": "203.0.113.7"', headers: { 'content-type': 'application/json' } });
  assert.equal(bad.status, 400);
  assert.match(await errorOf(bad), /^malformed JSON body/);
  const text = await api.call('/api/v1/bans', { method: 'POST', body: 'value=1.2.3.4', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(text.status, 415);
  const typed = await api.call('/api/v1/bans', { method: 'POST', json: { value: 203 } });
  assert.equal(typed.status, 400);
  assert.match(await errorOf(typed), /^value: .*found 203 \(number\)/);
  const extra = await api.call('/api/v1/bans', { method: 'POST', json: { value: '203.0.113.7', duration: '1h' } });
  assert.match(await errorOf(extra), /duration: unknown key/);
  const array = await api.call('/api/v1/bans', { method: 'POST', json: ['203.0.113.7'] });
  assert.equal(array.status, 400);
});

test('bad addresses get manualBan\'s message: shell metacharacters, /33, too wide, allow-listed, bad duration', async () => {
  for (const [value, pattern] of [
    ['1.2.3.4;reboot', /1\.2\.3\.4;reboot/],
    ['$(reboot)', /e\.g\./],
    ['203.0.113.0/33', /203\.0\.113\.0\/33/],
    ['10.0.0.0/4', /too wide to ban/],
    ['198.51.100.0/24', /refusing to ban 198\.51\.100\.0\/24/],
  ] as const) {
    const res = await api.call('/api/v1/bans', { method: 'POST', json: { value } });
    assert.equal(res.status, 400, value);
    const error = await errorOf(res);
    assert.match(error, pattern, value);
    assert.doesNotMatch(error, /\n|at .*\.js/, 'one line, no stack');
  }
  const dur = await api.call('/api/v1/bans', { method: 'POST', json: { value: '203.0.113.7', for: '1 hour' } });
  assert.match(await errorOf(dur), /--for "1 hour" is not a duration/);
  assert.deepEqual(api.store.decisions.active(api.now()), [], 'no ban in force at the server\'s clock');
  assert.deepEqual(api.store.decisions.byValue('203.0.113.7/32'), [], 'nothing stored, not even an expired ban');
});

test('ban, list, unban: a round trip through the store', async () => {
  const before = api.changes.count;
  const made = await api.call('/api/v1/bans', { method: 'POST', json: { value: '::ffff:203.0.113.0/120', for: '2h', reason: 'scraper' } });
  assert.equal(made.status, 201);
  const d = (await made.json()) as { value: string; scope: string; origin: string; reason: string; until: string; createdAt: string };
  assert.deepEqual([d.value, d.scope, d.origin, d.reason], ['203.0.113.0/24', 'prefix', 'manual', 'scraper']);
  assert.equal(Date.parse(d.until) - Date.parse(d.createdAt), 2 * 3_600_000);
  assert.equal(api.changes.count, before + 1);

  const list = (await (await api.call('/api/v1/bans', { token: null })).json()) as { total: number; bans: { value: string }[] };
  assert.equal(list.total, 1);
  assert.equal(list.bans[0]?.value, '203.0.113.0/24');

  const gone = await api.call(`/api/v1/bans/${encodeURIComponent('203.0.113.0/24')}`, { method: 'DELETE' });
  assert.equal(gone.status, 200);
  assert.equal(((await gone.json()) as { ended: unknown[] }).ended.length, 1);
  assert.equal(api.changes.count, before + 2);
  assert.equal((await api.call(`/api/v1/bans/${encodeURIComponent('203.0.113.0/24')}`, { method: 'DELETE' })).status, 404);
  assert.equal((await api.call('/api/v1/bans/1.2.3.4%3Breboot', { method: 'DELETE' })).status, 400);

  const history = (await (await api.call('/api/v1/history?limit=5')).json()) as { decisions: { endKind: string; endedBy: string }[] };
  assert.deepEqual([history.decisions[0]?.endKind, history.decisions[0]?.endedBy], ['unban', 'api']);
});

test('pagination: offset and limit over the active bans; limit above 1000 and junk are 400', async () => {
  for (let i = 1; i <= 25; i++) {
    assert.equal((await api.call('/api/v1/bans', { method: 'POST', json: { value: `192.0.2.${100 + i}` } })).status, 201);
  }
  const page = (await (await api.call('/api/v1/bans?offset=20&limit=10')).json()) as { total: number; offset: number; limit: number; bans: { value: string }[] };
  assert.deepEqual([page.total, page.offset, page.limit, page.bans.length], [25, 20, 10, 5]);
  assert.equal(page.bans[0]?.value, '192.0.2.121/32');
  assert.equal(((await (await api.call('/api/v1/bans')).json()) as { bans: unknown[] }).bans.length, 25);
  const newest = (await (await api.call('/api/v1/bans?order=desc&offset=0&limit=3')).json()) as { bans: { value: string }[] };
  assert.deepEqual(newest.bans.map((b) => b.value), ['192.0.2.125/32', '192.0.2.124/32', '192.0.2.123/32'], 'order=desc: newest first');
  const last = (await (await api.call('/api/v1/bans?order=desc&offset=20&limit=10')).json()) as { bans: { value: string }[] };
  assert.deepEqual(last.bans.map((b) => b.value), ['192.0.2.105/32', '192.0.2.104/32', '192.0.2.103/32', '192.0.2.102/32', '192.0.2.101/32']);
  assert.match(await errorOf(await api.call('/api/v1/bans?order=up')), /^order: /);
  assert.match(await errorOf(await api.call('/api/v1/bans?limit=1001')), /^limit: /);
  assert.match(await errorOf(await api.call('/api/v1/bans?offset=-1')), /^offset: expected an integer from 0 to 1000000000, found "-1"/);
  assert.equal(await errorOf(await api.call('/api/v1/bans?limit=x&order=up&page=2')),
    'page: unknown key; limit: expected an integer from 0 to 1000, found "x" (string); order: expected one of "asc", "desc", found "up" (string)', 'every problem in one line');
  assert.match(await errorOf(await api.call('/api/v1/bans?page=2')), /page: unknown key/);
});

test('hardening lists the saved originals', async () => {
  const none = (await (await api.call('/api/v1/hardening')).json()) as { applied: boolean };
  assert.equal(none.applied, false);
  api.store.sysctls.saveOnce('net.ipv4.tcp_synack_retries', '5', api.now());
  const some = (await (await api.call('/api/v1/hardening')).json()) as { applied: boolean; originals: Record<string, string> };
  assert.deepEqual([some.applied, some.originals['net.ipv4.tcp_synack_retries']], [true, '5']);
  api.store.sysctls.clear();
});

test('unknown routes are 404, wrong methods 405 with Allow; errors are JSON', async () => {
  const missing = await api.call('/api/v2/bans');
  assert.equal(missing.status, 404);
  assert.match(missing.headers.get('content-type') ?? '', /application\/json/);
  assert.match(await errorOf(missing), /no such endpoint/);
  const wrong = await api.call('/api/v1/status', { method: 'DELETE' });
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get('allow'), 'GET');
  assert.equal((await api.call('/api/v1/bans', { method: 'PUT', json: {} })).status, 405);
});

test('a dry run\'s decisions are listed after the real bans, flagged dryRun, and never counted as real', async () => {
  const t = api.now();
  const base = { scope: 'ip', action: 'ban', reason: 'half-open flood', evidence: [], origin: 'auto', offence: 1, createdAt: t, until: t + 600_000 } as const;
  const dry = api.store.decisions.insert({ ...base, value: '198.18.44.1/32', dryRun: true });
  try {
    const list = (await (await api.call('/api/v1/bans?order=asc&limit=1000')).json()) as { total: number; bans: Array<{ value: string; dryRun: boolean }> };
    assert.deepEqual(list.bans.at(-1), { ...list.bans.at(-1), value: '198.18.44.1/32', dryRun: true }, 'last, flagged');
    assert.ok(list.bans.slice(0, -1).every((b) => !b.dryRun), 'the real ones are not flagged');
    assert.equal(api.store.decisions.activeAutoCount(t), 0, 'not a real auto-ban');
  } finally {
    api.store.decisions.end(dry.id, { now: t, by: 'test', kind: 'unban' });
  }
});
