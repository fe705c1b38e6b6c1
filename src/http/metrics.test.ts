// /metrics parsed by a real Prometheus text-format parser and checked for every metric issue 5 names, its type and
// labels, and Prometheus's naming conventions.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { T0 } from '../testing/samples.js';
import { parseExposition, namingProblems, type Family } from '../testing/exposition.js';
import { sampleSenders } from '../testing/syn-senders.js';
import { sampleTicks } from '../testing/sample-ticks.js';
import { KERNEL_COUNTERS, PREFIX } from './metrics.js';
import { TOP_SENDERS } from './meter-metrics.js';
import { startTestApi, type TestApi } from '../testing/test-app.js';

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
    'synguard_assessment', 'synguard_hardening_applied', 'synguard_meter_sender_syns_per_second', 'synguard_meter_drops_active']) {
    assert.equal(type(name), 'gauge', name);
  }
  for (const name of [...Object.keys(KERNEL_COUNTERS), 'synguard_bans_issued_total', 'synguard_bans_expired_total']) {
    assert.equal(type(name), 'counter', name);
  }
  assert.equal(type('synguard_loop_duration_seconds'), 'histogram');
  // the process's own CPU and memory, under synguard's prefix
  for (const name of ['synguard_process_cpu_user_seconds_total', 'synguard_process_cpu_system_seconds_total', 'synguard_process_cpu_seconds_total']) {
    assert.equal(type(name), 'counter', name);
  }
  for (const name of ['synguard_process_resident_memory_bytes', 'synguard_process_start_time_seconds', 'synguard_nodejs_heap_size_used_bytes']) {
    assert.equal(type(name), 'gauge', name);
  }
  assert.ok((m.get('synguard_process_resident_memory_bytes')?.samples[0]?.value ?? 0) > 1e6, 'RSS is a real number of bytes');

  const loop = m.get('synguard_loop_duration_seconds')?.histogram;
  assert.equal(loop?.count, 1);
  assert.equal(loop.buckets['0.0025'], 0);
  assert.equal(loop.buckets['0.005'], 1);
  assert.equal(loop.buckets['+Inf'], 1);
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

test('every family follows Prometheus naming: synguard_ prefix, snake_case, _total on counters only, base units', async () => {
  const m = await scrape();
  assert.ok(m.size > 30, `families: ${m.size}`);
  assert.deepEqual([...m.values()].flatMap((f) => namingProblems(f, PREFIX)), []);
  // and the lint itself catches what it should
  assert.deepEqual(namingProblems({ name: 'process_cpu_seconds', type: 'counter', help: 'x' }, PREFIX).length, 2);
  assert.equal(namingProblems({ name: 'synguard_loop_ms', type: 'histogram', help: 'x' }, PREFIX).length, 2);
  assert.equal(namingProblems({ name: 'synguard_bans_total', type: 'gauge', help: '' }, PREFIX).length, 2);
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

test('the kernel meter: its top senders (10 at most) with address, proven and dropped, and its drops by scope, from the latest tick', async () => {
  const senders = (m: Map<string, Family>) => (m.get('synguard_meter_sender_syns_per_second')?.samples ?? [])
    .map((s) => `${s.labels.address} proven=${s.labels.proven} dropped=${s.labels.dropped} ${s.value}`);
  const drops = (m: Map<string, Family>) => Object.fromEntries((m.get('synguard_meter_drops_active')?.samples ?? []).map((s): [string, number] => [s.labels.scope ?? '', s.value]));
  const tick = (list: ReturnType<typeof sampleSenders>) => api.events.emit(sampleTicks([{ synRecv: 0, established: 0, sent: 0, recv: 0, synSenders: list }])[0]!);

  let m = await scrape();
  assert.deepEqual(senders(m), [], 'no tick yet: no sender');
  assert.deepEqual(drops(m), { ip: 0, prefix: 0 });

  // a flood from 30 sources: only the 10 fastest are series, but every drop is counted
  tick(sampleSenders(30));
  m = await scrape();
  assert.equal(senders(m).length, TOP_SENDERS);
  assert.deepEqual(senders(m).slice(0, 2), ['198.18.0.1 proven=false dropped=true 2000', '198.18.0.2 proven=false dropped=true 1900']);
  assert.deepEqual(drops(m), { ip: 30, prefix: 1 });

  // the next tick replaces the list: the proven proxy and the dropped /24 appear, sources that left are gone
  tick(sampleSenders(8));
  m = await scrape();
  const now = senders(m);
  assert.equal(now.length, 10);
  assert.ok(now.includes('198.51.100.20 proven=true dropped=false 950'), now.join('; '));
  assert.ok(now.includes('203.0.113.0/24 proven=false dropped=true 450'), now.join('; '));
  assert.ok(!now.some((s) => s.startsWith('198.18.0.9 ')), 'a sender that left the meter leaves /metrics');
  assert.deepEqual(drops(m), { ip: 8, prefix: 1 });

  tick([]);
  m = await scrape();
  assert.deepEqual([senders(m), drops(m)], [[], { ip: 0, prefix: 0 }]);
  assert.match(m.get('synguard_bans_active')?.help ?? '', /origin \(auto: .*manual: .*kernel: the SYN-rate meter/);
});
