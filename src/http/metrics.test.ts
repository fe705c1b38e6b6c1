// /metrics parsed as Prometheus text exposition (a minimal parser below) and checked for every synguard metric.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { T0 } from '../testing/samples.js';
import { KERNEL_COUNTERS } from './metrics.js';
import { startTestApi, type TestApi } from './test-app.js';

interface Family { type: string; help: string; samples: { name: string; labels: Record<string, string>; value: number }[] }

/** Text format 0.0.4: # HELP and # TYPE lines, then `name{label="value",...} number` samples. */
function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const family = (name: string): Family => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { type: 'untyped', help: '', samples: [] }));
    return f;
  };
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\w+) (.*)$/.exec(line);
    if (meta) {
      const f = family(meta[2] ?? '');
      if (meta[1] === 'TYPE') f.type = meta[3] ?? '';
      else f.help = meta[3] ?? '';
      continue;
    }
    const m = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `a sample line: ${line}`);
    const name = m[1] ?? '';
    const labels: Record<string, string> = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l): [string, string] => [l[1] ?? '', l[2] ?? '']));
    const value = /^nan$/i.test(m[3] ?? '') ? NaN : Number(m[3]); // Go's ParseFloat takes NaN in any case; prom-client writes "Nan"
    assert.ok(!Number.isNaN(value) || /^nan$/i.test(m[3] ?? ''), `a number: ${line}`);
    const base = families.has(name) ? name : name.replace(/_(bucket|sum|count)$/, '');
    family(base).samples.push({ name, labels, value });
  }
  return families;
}

let clock = T0;
let api: TestApi;
before(async () => { api = await startTestApi({ clock: () => clock }); });
after(() => api.close());

async function scrape(): Promise<Map<string, Family>> {
  const res = await api.call('/metrics', { token: null });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return parseExposition(await res.text());
}

test('every synguard metric is there, typed, with its labels; process CPU and memory too', async () => {
  api.server.observeLoop(0.004);
  const m = await scrape();
  const type = (name: string) => m.get(name)?.type;
  for (const name of ['synguard_sockets', 'synguard_listener_syn_queue', 'synguard_listener_backlog', 'synguard_bans_active',
    'synguard_assessment', 'synguard_hardening_applied']) assert.equal(type(name), 'gauge', name);
  for (const name of [...Object.keys(KERNEL_COUNTERS), 'synguard_bans_issued_total', 'synguard_bans_expired_total']) {
    assert.equal(type(name), 'counter', name);
  }
  assert.equal(type('synguard_loop_duration_seconds'), 'histogram');
  assert.equal(type('process_cpu_user_seconds_total'), 'counter');
  assert.equal(type('process_resident_memory_bytes'), 'gauge');

  const loop = m.get('synguard_loop_duration_seconds')?.samples ?? [];
  assert.equal(loop.find((s) => s.name.endsWith('_count'))?.value, 1);
  assert.equal(loop.find((s) => s.labels.le === '0.005')?.value, 1);
  assert.ok((m.get('synguard_sockets')?.samples ?? []).some((s) => s.labels.state === 'SYN_RECV' && s.value > 0));
  const queue = m.get('synguard_listener_syn_queue')?.samples ?? [];
  assert.ok(queue.length > 0 && queue.every((s) => s.labels.address !== undefined && /^\d+$/.test(s.labels.port ?? '')));
  const sent = m.get('synguard_kernel_syncookies_sent_total')?.samples[0]?.value ?? 0;
  assert.ok(sent > 0, 'the capture has cookies flowing');
  const verdict = m.get('synguard_assessment')?.samples ?? [];
  assert.equal(verdict.filter((s) => s.value === 1).length, 1);
  assert.ok(verdict.length >= 6);
  assert.equal(m.get('synguard_hardening_applied')?.samples[0]?.value, 0);
});

test('bans: active by scope and origin, issued and expired counted from the store', async () => {
  await api.call('/api/v1/bans', { method: 'POST', json: { value: '203.0.113.9', for: '30s' } });
  await api.call('/api/v1/bans', { method: 'POST', json: { value: '203.0.113.0/24', for: '1h' } });
  await api.call(`/api/v1/bans/${encodeURIComponent('203.0.113.0/24')}`, { method: 'DELETE' });
  await api.call('/api/v1/bans', { method: 'POST', json: { value: '2001:db8:1::/64', for: '1h' } });
  let m = await scrape();
  const active = (m.get('synguard_bans_active')?.samples ?? []).map((s) => `${s.labels.scope}/${s.labels.origin}=${s.value}`).sort();
  assert.deepEqual(active, ['ip/manual=1', 'prefix/manual=1']);
  assert.equal(m.get('synguard_bans_issued_total')?.samples[0]?.value, 3);
  assert.equal(m.get('synguard_bans_expired_total')?.samples[0]?.value, 0);
  clock = T0 + 60_000; // the 30 s ban runs out; the unbanned one never counts as expired
  m = await scrape();
  assert.equal(m.get('synguard_bans_expired_total')?.samples[0]?.value, 1);
  assert.equal(m.get('synguard_bans_issued_total')?.samples[0]?.value, 3);
  assert.deepEqual((m.get('synguard_bans_active')?.samples ?? []).map((s) => s.labels.scope), ['prefix']);
});

test('with no report yet, status metrics are empty and the verdict is all zeros', async () => {
  const bare = await startTestApi({ status: null });
  try {
    const text = await (await bare.call('/metrics')).text();
    const m = parseExposition(text);
    assert.equal(m.get('synguard_sockets')?.samples.length, 0);
    assert.ok((m.get('synguard_assessment')?.samples ?? []).every((s) => s.value === 0));
    assert.equal((await bare.call('/api/v1/status')).status, 503);
  } finally {
    await bare.close();
  }
});
