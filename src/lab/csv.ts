// Pure CSV of a run's timeline: one row per bucket, with whether an attack was on and what happened in it.
import type { LabReport } from './report.js';

const cell = (v: string | number | null): string => {
  if (v === null) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Header plus one row per bucket: times in ms since the start, legit stats, errors, attack on/off, events inside. */
export function timelineCsv(r: LabReport): string {
  const header = ['start_ms', 'end_ms', 'attempts', 'succeeded', 'success_pct', 'p50_ms', 'p95_ms', 'p99_ms', 'errors', 'attack_on', 'events'];
  const rows = r.buckets.map((b) => {
    const on = r.attack.steps.some((s) => s.start < b.end && s.end > b.start);
    const ev = r.events.filter((e) => e.at >= b.start && e.at < b.end).map((e) => `${e.kind}: ${e.value}`);
    const pct = b.attempts > 0 ? Math.round((1000 * b.succeeded) / b.attempts) / 10 : null;
    const errors = Object.entries(b.errors).map(([k, n]) => `${k}=${n}`).join(' ');
    return [b.start, b.end, b.attempts, b.succeeded, pct, b.p50Ms, b.p95Ms, b.p99Ms, errors, on ? 1 : 0, ev.join('; ')].map(cell).join(',');
  });
  return [header.join(','), ...rows].join('\n') + '\n';
}
