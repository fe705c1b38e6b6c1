// The short Markdown summary written beside each report's JSON. Pure.
import { thousands } from '../core/format.js';
import type { AttackReport } from './report.js';
import type { PeakName } from './recorder.js';

const LABELS: Record<PeakName, string> = {
  halfOpen: 'half-open connections (SYN_RECV)',
  established: 'established connections',
  cookiesSentPerSecond: 'SYN cookies sent per second',
  cookiesRecvPerSecond: 'SYN cookies returned per second',
  synDropsPerSecond: 'SYNs dropped per second (queue full)',
  listenDropsPerSecond: 'listen drops per second',
  newConnectionsPerSecond: 'new connections per second (passive opens)',
  rxPacketsPerSecond: 'packets received per second (all links)',
};

export function formatSeconds(total: number): string {
  const h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
  return h > 0 ? `${h}h ${m}m ${s}s` : m > 0 ? `${m}m ${s}s` : `${s}s`;
}

const time = (isoText: string): string => isoText.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
const n = (v: number): string => thousands(Math.round(v));
const cell = (text: string): string => text.replace(/\|/g, '\\|');

export function reportMarkdown(r: AttackReport): string {
  const out: string[] = [];
  out.push(`# Attack ${r.id}: ${r.class}`, '');
  out.push(`- **Start:** ${time(r.startedAt)}`);
  out.push(`- **End:** ${time(r.endedAt)} (${formatSeconds(r.durationSeconds)}${r.lastAttackSeenAt ? `; last seen ${time(r.lastAttackSeenAt)}, then calm` : ''})`);
  if (r.interrupted) out.push(`- **Interrupted:** ${r.interrupted}`);
  out.push(`- **Verdict at the start:** ${r.summary}`);
  const classes = Object.entries(r.classes).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
  if (classes) out.push(`- **Verdicts over ${r.ticks} samples:** ${classes}`);
  for (const e of r.evidence) out.push(`  - ${e}`);

  out.push('', '## Peaks', '', '| measure | peak | at |', '|---|---:|---|');
  for (const [name, label] of Object.entries(LABELS) as Array<[PeakName, string]>) {
    const p = r.peaks[name];
    if (p) out.push(`| ${label} | ${n(p.value)} | ${time(p.at)} |`);
  }
  if (r.listenerPeak) {
    const l = r.listenerPeak;
    out.push(`| fullest SYN queue: ${l.listener} | ${n(l.synRecv)}/${n(l.backlog)} | ${time(l.at)} |`);
  }

  const c = r.cookies;
  out.push('', '## Cookie balance', '');
  if (c.sent !== null) out.push(`${n(c.sent)} sent, ${n(c.returned ?? 0)} returned, ${n(c.failed ?? 0)} failed validation.`, '');
  out.push(`${c.verdict.charAt(0).toUpperCase()}${c.verdict.slice(1)}.`);

  out.push('', '## Top sources', '');
  if (r.sources.top.length === 0) out.push('none recorded');
  else {
    out.push(`At most ${n(r.sources.maxDistinct)} distinct sources at once.`, '', '| source | prefix | max half-open | max established | samples |', '|---|---|---:|---:|---:|');
    for (const s of r.sources.top.slice(0, 10)) out.push(`| ${s.address} | ${s.prefix} | ${n(s.maxHalfOpen)} | ${n(s.maxEstablished)} | ${s.seen} |`);
    out.push('', '| prefix | addresses | max half-open | max established |', '|---|---:|---:|---:|');
    for (const p of r.sources.prefixes.slice(0, 10)) out.push(`| ${p.prefix} | ${n(p.maxAddresses)} | ${n(p.maxHalfOpen)} | ${n(p.maxEstablished)} |`);
  }

  if (r.synSenders) { // reports written before the kernel meter have no such list
    out.push('', '## Top SYN senders (kernel meter)', '');
    if (r.synSenders.length === 0) out.push('None: no source went over the kernel meter\'s rates (or the meter was off: route or ipset backend).');
    else {
      out.push('Peak SYNs per second the kernel counted from each sender (an address, or a prefix it dropped as a whole); proven: it completed handshakes; dropped: the kernel dropped it.',
        '', '| sender | peak SYN/s | at | proven | dropped by the kernel | samples |', '|---|---:|---|---|---|---:|');
      const yes = (b: boolean): string => (b ? 'yes' : 'no');
      for (const x of r.synSenders.slice(0, 10)) out.push(`| ${x.address} | ${n(x.maxSynPerSecond)} | ${time(x.at)} | ${yes(x.proven)} | ${yes(x.dropped)} | ${x.seen} |`);
    }
  }

  const d = r.decisions;
  out.push('', '## Decisions', '');
  if (d.count === 0) out.push('No bans.');
  else {
    const scopes = Object.entries(d.scopes).map(([k, v]) => `${v} ${k}`).join(', ');
    const origins = Object.entries(d.origins).map(([k, v]) => `${v} ${k}`).join(', ');
    out.push(`${n(d.count)} ban${d.count === 1 ? '' : 's'} (${scopes}; ${origins}).`, '');
    for (const b of d.list.slice(0, 20)) out.push(`- ${time(b.createdAt)} ${b.value} until ${time(b.until)}: ${cell(b.reason)}`);
    if (d.count > 20) out.push(`- … and ${n(d.count - 20)} more (see the JSON report)`);
  }

  out.push('', '## Hardening', '');
  if (r.hardening.length === 0) out.push('None applied.');
  for (const h of r.hardening) out.push(`- ${time(h.at)} ${h.state === 'on' ? 'raised' : 'restored'}: ${h.changes.length ? h.changes.join(', ') : 'nothing to change'}`);
  return `${out.join('\n')}\n`;
}
