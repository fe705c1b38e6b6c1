// contrib/grafana-synguard.json: valid JSON, its datasource a variable, and every query parsed by Prometheus's own
// PromQL grammar and checked against a real /metrics scrape (metric names, types, label names), so it cannot drift.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';
import { parseExposition, type Family } from '../testing/exposition.js';
import { sampleSenders } from '../testing/syn-senders.js';
import { sampleTicks } from '../testing/sample-ticks.js';
import { startTestApi, type TestApi } from '../testing/test-app.js';

const DASHBOARD = fileURLToPath(new URL('../../contrib/grafana-synguard.json', import.meta.url));
/** Labels Prometheus adds at scrape time; they are never in the exposition. */
const TARGET_LABELS = new Set(['instance', 'job']);
const RATE_FUNCTIONS = new Set(['rate', 'irate', 'increase']);

interface Panel { title: string; type: string; datasource?: { uid?: string }; targets?: Array<{ expr: string; datasource?: { uid?: string } }> }
interface Dashboard { title: string; uid: string; panels: Panel[]; templating: { list: Array<{ name: string; type: string; query: unknown; datasource?: { uid?: string } }> } }

/** Problems with one PromQL expression against the scraped families (empty when it is sound). */
function checkExpr(expr: string, families: Map<string, Family>): { metrics: string[]; problems: string[] } {
  const text = expr.replaceAll('$__rate_interval', '1m').replaceAll('$__interval', '1m'); // Grafana's own variables
  const tree = parser.parse(text);
  const problems: string[] = [];
  const metrics: string[] = [];
  const labelsOf = (f: Family): Set<string> => new Set(f.samples.flatMap((s) => Object.keys(s.labels)));
  const used: Set<string>[] = [];
  tree.iterate({ enter: (ref) => {
    if (ref.type.isError) problems.push(`syntax error at ${ref.from}: "${text.slice(ref.from, ref.from + 20)}"`);
    if (ref.type.name !== 'VectorSelector') return;
    const node: SyntaxNode = ref.node;
    const ident = node.getChild('Identifier');
    const name = ident ? text.slice(ident.from, ident.to).trim() : '';
    metrics.push(name);
    const base = name.replace(/_(bucket|sum|count)$/, '');
    const family = families.get(name) ?? (families.get(base)?.type === 'histogram' ? families.get(base) : undefined);
    if (!family) {
      problems.push(`${name}: not in /metrics`);
      return;
    }
    const labels = family.type === 'histogram' ? new Set(['le']) : labelsOf(family);
    used.push(labels);
    for (const m of node.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ?? []) {
      const label = m.getChild('LabelName');
      const l = label ? text.slice(label.from, label.to) : '';
      if (!TARGET_LABELS.has(l) && !labels.has(l)) problems.push(`${name}{${l}}: no such label`);
    }
    // a counter (or a histogram's buckets) means something only as a rate
    if (family.type === 'counter' || family.type === 'histogram') {
      const call = node.parent?.name === 'MatrixSelector' ? node.parent.parent?.parent : null;
      const fn = call?.getChild('FunctionIdentifier');
      if (!fn || !RATE_FUNCTIONS.has(text.slice(fn.from, fn.to))) problems.push(`${name}: a ${family.type} used without rate()`);
    }
  } });
  tree.iterate({ enter: (ref) => {
    if (ref.type.name !== 'GroupingLabels') return;
    for (const l of ref.node.getChildren('LabelName')) {
      const label = text.slice(l.from, l.to);
      if (!TARGET_LABELS.has(label) && !used.some((set) => set.has(label))) problems.push(`by (${label}): no selected metric has it`);
    }
  } });
  return { metrics, problems: problems.map((p) => `${expr}: ${p}`) };
}

let api: TestApi;
let families: Map<string, Family>;
before(async () => {
  api = await startTestApi();
  await api.call('/api/v1/bans', { method: 'POST', json: { value: '203.0.113.9', for: '1h' } }); // bans_active gets its labels
  api.server.observeLoop(0.01);
  // the kernel meter's senders get their labels
  api.events.emit(sampleTicks([{ synRecv: 0, established: 0, sent: 0, recv: 0, synSenders: sampleSenders() }])[0]!);
  families = parseExposition(await (await api.call('/metrics')).text());
});
after(() => api.close());

test('the dashboard is valid JSON with the datasource as the ${DS_PROMETHEUS} variable everywhere', () => {
  const d = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as Dashboard;
  assert.equal(d.uid, 'synguard');
  const ds = d.templating.list.find((v) => v.name === 'DS_PROMETHEUS');
  assert.equal(ds?.type, 'datasource');
  assert.equal(ds.query, 'prometheus');
  for (const p of d.panels) {
    assert.equal(p.datasource?.uid, '${DS_PROMETHEUS}', p.title);
    for (const t of p.targets ?? []) assert.equal(t.datasource?.uid, '${DS_PROMETHEUS}', p.title);
  }
  const ids = d.panels.map((p) => (p as unknown as { id: number }).id);
  assert.equal(new Set(ids).size, ids.length, 'panel ids are unique');
});

test('every query parses as PromQL and uses only metrics and labels a real /metrics has, counters through rate()', () => {
  const d = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as Dashboard;
  const used = new Set<string>();
  const problems: string[] = [];
  for (const p of d.panels) {
    assert.ok((p.targets ?? []).length > 0, `${p.title} has a query`);
    for (const t of p.targets ?? []) {
      const r = checkExpr(t.expr, families);
      r.metrics.forEach((m) => used.add(m));
      problems.push(...r.problems);
    }
  }
  for (const v of d.templating.list.filter((x) => x.type === 'query')) {
    const m = /label_values\((\w+),/.exec(JSON.stringify(v.query));
    assert.ok(m?.[1] !== undefined && families.has(m[1]), `variable ${v.name} queries a real metric`);
  }
  assert.deepEqual(problems, []);
  // the panels the issue asks for are all there
  for (const name of ['synguard_assessment', 'synguard_sockets', 'synguard_listener_syn_queue', 'synguard_listener_backlog',
    'synguard_kernel_syncookies_sent_total', 'synguard_kernel_syncookies_recv_total', 'synguard_bans_active', 'synguard_bans_issued_total',
    'synguard_bans_expired_total', 'synguard_hardening_applied', 'synguard_loop_duration_seconds_bucket', 'synguard_process_cpu_seconds_total',
    'synguard_process_resident_memory_bytes', 'synguard_meter_sender_syns_per_second', 'synguard_meter_drops_active']) assert.ok(used.has(name), `the dashboard shows ${name}`);
  assert.ok(d.panels.some((p) => p.targets?.some((t) => /histogram_quantile\(0\.99,/.test(t.expr))), 'loop p99');
});

test('the check catches a misspelt metric, an unknown label, a bare counter and a syntax error', () => {
  const problems = (e: string) => checkExpr(e, families).problems.length;
  assert.equal(problems('sum by (state) (synguard_sockets{instance=~"$instance"})'), 0);
  assert.equal(problems('synguard_socket'), 1);
  assert.equal(problems('synguard_sockets{kind="x"}'), 1);
  assert.equal(problems('sum by (kind) (synguard_sockets)'), 1);
  assert.equal(problems('synguard_bans_issued_total'), 1);
  assert.ok(problems('rate(synguard_bans_issued_total[1m]') > 0);
});
