// Renders a status report as the compact human screen: verdict first, then listeners, sources, counters, sysctls.
import { thousands as n } from '../core/format.js';
import type { StatusReport } from '../detect/report.js';

const rate = (v: number | null): string => (v === null ? '-' : v >= 100 ? n(v) : v.toFixed(1).replace(/\.0$/, ''));
const pad = (s: string, w: number): string => (s.length >= w ? s : s + ' '.repeat(w - s.length));
const lpad = (s: string, w: number): string => (s.length >= w ? s : ' '.repeat(w - s.length) + s);

function table(header: string[], rows: string[][], right: Set<number>): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => (right.has(i) ? lpad(c, widths[i] ?? 0) : pad(c, widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

const VERDICT_LABEL: Record<string, string> = {
  none: 'OK',
  'syn-flood': 'SYN FLOOD',
  'spoofed-syn-flood': 'SPOOFED SYN FLOOD',
  'cookies-coping': 'COOKIES COPING',
  'connection-flood': 'CONNECTION FLOOD',
  'weak-config': 'WEAK CONFIG',
};

export function renderStatus(r: StatusReport): string {
  const out: string[] = [];
  const a = r.assessment;
  out.push(`${VERDICT_LABEL[a.kind] ?? a.kind}: ${a.summary}`);
  for (const e of a.evidence) out.push(`  - ${e}`);
  out.push('');

  const states = Object.entries(r.states).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${n(v)}`).join('  ');
  out.push(`Sockets ${n(r.totals.sockets)}: ${states || 'none'}   (${n(r.totals.sources)} source${r.totals.sources === 1 ? '' : 's'}, ${n(r.totals.halfOpenSources)} with half-open)`);
  out.push('');

  out.push('Listeners');
  if (r.listenerError) out.push(`  (${r.listenerError})`);
  if (r.listeners.length === 0) out.push('  none');
  else {
    // `held`: connections a worker holds on a port with declared slots (detection.capacity.slots), when any has them
    const held = r.listeners.some((l) => l.held !== undefined);
    const rows = r.listeners.map((l) => [
      `${l.address.includes(':') ? `[${l.address}]` : l.address}:${l.port}${l.dualStack ? ' (v4+v6)' : ''}`,
      n(l.synRecv),
      l.backlog === null ? '?' : n(l.backlog),
      l.fill === null ? '' : `${Math.round(l.fill * 100)}%${l.fill >= 1 ? ' FULL' : ''}`,
      n(l.acceptQueue),
      ...(held ? [l.held === undefined ? '' : n(l.held)] : []),
    ]);
    const header = ['listener', 'syn-recv', 'backlog', 'fill', 'accept-q', ...(held ? ['held'] : [])];
    out.push(...table(header, rows, new Set([1, 2, 3, 4, 5])));
  }
  out.push('');

  out.push('Top sources');
  if (r.sources.length === 0) out.push('  none');
  else out.push(...table(['source', 'prefix', 'syn-recv', 'estab', 'total'], r.sources.map((s) => [s.address, s.prefix, n(s.synRecv), n(s.established), n(s.total)]), new Set([2, 3, 4])));
  if (r.prefixes.length > 0 && r.prefixes.some((p) => p.addresses > 1)) {
    out.push('', 'Top prefixes');
    out.push(...table(['prefix', 'addresses', 'syn-recv', 'estab', 'total'], r.prefixes.map((p) => [p.prefix, n(p.addresses), n(p.synRecv), n(p.established), n(p.total)]), new Set([1, 2, 3, 4])));
  }
  out.push('');

  if (r.synSenders.length > 0) {
    out.push('Top SYN senders (kernel meter: sources SYN cookies hide from the table included)');
    out.push(...table(['source', 'SYN/s', 'proven', 'kernel'], r.synSenders.map((s) => [s.address, n(s.synPerSecond), s.proven ? 'yes' : 'no', s.dropped ? 'dropping' : s.capped ? 'excess dropped' : '']), new Set([1])));
    out.push('');
  }

  out.push(`Counters${r.intervalSeconds > 0 ? ` (per second over ${r.intervalSeconds.toFixed(1)} s)` : ' (single sample: no rates)'}`);
  const counters = Object.entries(r.counters).map(([k, c]) => [k, n(c.value), rate(c.perSecond)]);
  out.push(...table(['counter', 'total', '/s'], counters, new Set([1, 2])));
  out.push('');

  out.push('Sysctls');
  const notes = new Map(r.notes.map((x) => [x.subject, x]));
  out.push(...table(['sysctl', 'value', 'note'], Object.entries(r.sysctls).map(([k, v]) => {
    const note = notes.get(k);
    return [k, v === null ? '?' : String(v), note ? `${note.weak ? 'WEAK: ' : ''}${note.message}` : ''];
  }), new Set([1])));
  for (const note of r.notes.filter((x) => x.subject.startsWith('listener '))) out.push(`  ${note.subject}: WEAK: ${note.message}`);

  const bad = r.parseErrors.socketTable + r.parseErrors.counters + r.parseErrors.listeners;
  if (bad > 0) out.push('', `Skipped ${n(bad)} unparsable line(s): socket table ${r.parseErrors.socketTable}, counters ${r.parseErrors.counters}, ss ${r.parseErrors.listeners}`);
  return out.join('\n') + '\n';
}
