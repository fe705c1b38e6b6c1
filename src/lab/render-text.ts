// Pure text rendering of a lab report: a phase table with a one-word verdict per phase, so a newcomer sees the outcome at a glance.
import type { LabReport } from './report.js';
import type { LegitStats } from './stats.js';
import { wrkSuccess } from './wrk.js';
import type { WrkWindowResult } from './wrk-run.js';

const sec = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;
const lat = (v: number | null): string => (v === null ? '-' : `${v < 10 ? v.toFixed(1) : Math.round(v)}ms`);
const pad = (s: string, n: number): string => (s.length >= n ? s + ' ' : s + ' '.repeat(n - s.length));

/** fine: every attempt succeeded and p99 is under the threshold; slow: ≥ 95 % succeeded; HURT otherwise. */
export function verdict(l: LegitStats, thresholdMs: number | null): string {
  if (l.attempts === 0) return '-';
  const ratio = l.succeeded / l.attempts;
  if (ratio >= 0.999 && (thresholdMs === null || (l.p99Ms ?? Infinity) < thresholdMs)) return 'fine';
  if (ratio >= 0.95) return 'slow';
  return 'HURT';
}

/** The report as a few lines of text. */
export function renderText(r: LabReport): string {
  const out: string[] = [];
  out.push(`synguard lab: ${r.scenario} (lab ${r.labId}${r.scale !== 1 ? `, times ×${r.scale}` : ''})`);
  out.push(`  ${r.description}`);
  const sys = Object.entries(r.victim.sysctls).map(([k, v]) => `${k}=${String(v)}`).join(' ');
  if (r.server) out.push(`server: ${r.server.kind} (${r.server.limits})`);
  out.push(`victim: listen backlog ${r.victim.backlog}${r.victim.maxConnections ? `, max ${r.victim.maxConnections} connections` : ''}${sys ? `, ${sys}` : ''}`);
  out.push('');
  const width = Math.max(10, ...r.phases.map((p) => p.name.length + 2));
  out.push(pad('phase', width) + pad('time', 13) + pad('legit ok', 16) + pad('p50', 8) + pad('p95', 8) + pad('p99', 8) + pad('verdict', 8) + 'errors');
  for (const p of r.phases) {
    const l = p.legit;
    const pct = l.attempts ? ` ${Math.round((100 * l.succeeded) / l.attempts)}%` : '';
    const errors = Object.entries(l.errors).map(([k, n]) => `${k} ${n}`).join(', ');
    out.push(
      pad(p.name, width) + pad(`${sec(p.start)}-${sec(p.end)}`, 13) + pad(`${l.succeeded}/${l.attempts}${pct}`, 16) +
        pad(lat(l.p50Ms), 8) + pad(lat(l.p95Ms), 8) + pad(lat(l.p99Ms), 8) + pad(verdict(l, r.recoveryThresholdMs), 8) + errors,
    );
  }
  for (const p of r.phases) {
    // only when sources fare differently: that is where a defender's collateral damage shows
    const src = Object.entries(p.legit.bySource);
    const ratios = src.map(([, v]) => v.succeeded / Math.max(1, v.attempts));
    if (src.length > 1 && Math.max(...ratios) - Math.min(...ratios) > 0.1) {
      out.push(`  ${p.name} by client address: ${src.map(([a, v]) => `${a} ${v.succeeded}/${v.attempts}`).join(', ')}`);
    }
  }
  if (r.wrk) out.push('', ...wrkLines(r.wrk));
  out.push('');
  out.push(`attack: ${r.attack.packetsSent.toLocaleString('en-US')} packets/connections sent`);
  for (const s of r.attack.steps) out.push(`  ${s.label} ${sec(s.start)}-${sec(s.end)}: ${s.packetsSent.toLocaleString('en-US')}${s.error ? ` (failed: ${s.error})` : ''}`);
  const c = Object.entries(r.victim.counters).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`);
  out.push(`victim counters (increase): ${c.length ? c.join(', ') : 'none'}`);
  if (r.defender === null) out.push('defender: not running (--no-defend)');
  else {
    out.push(`defender: ${r.defender.actions.length} action(s)`);
    for (const a of r.defender.actions) out.push(`  ${sec(a.at)} ${a.kind} ${a.value}`);
  }
  out.push(`time to mitigate: ${r.timeToMitigateMs === null ? '- (no defender action)' : sec(r.timeToMitigateMs)}`);
  const thr = r.recoveryThresholdMs === null ? '' : ` (p99 under 2× baseline = ${lat(r.recoveryThresholdMs)}, every attempt succeeding)`;
  if (r.attack.steps.length === 0) out.push('time to recover: - (no attack)');
  else out.push(`time to recover: ${r.timeToRecoverMs === null ? `- (not recovered by the end)${thr}` : `${sec(r.timeToRecoverMs)} after the attack started${thr}`}`);
  if (r.files) out.push(`files: ${r.files.dir} (timeline.csv, timeline.svg, report.json)`);
  return out.join('\n') + '\n';
}

/**
 * wrk's figures, one line per window and mode: requests/s, success, latency percentiles, a real server's processes at
 * the window's start and end, errors by kind, and whether wrk had to be stopped.
 */
export function wrkLines(rows: readonly WrkWindowResult[]): string[] {
  const width = Math.max(10, ...rows.map((w) => w.window.length + 2));
  const procs = rows.some((w) => w.serverProcesses);
  const procCell = (w: WrkWindowResult): string => (procs ? pad(w.serverProcesses ? `${w.serverProcesses.start}→${w.serverProcesses.end}` : '-', 12) : '');
  const out = [`wrk (${rows[0]?.result ? 'requests from the client namespace' : 'load client'})`, pad('window', width) + pad('mode', 12) + pad('req/s', 10) + pad('ok', 18) + pad('p50', 9) + pad('p90', 9) + pad('p99', 9) + (procs ? pad('processes', 12) : '') + 'errors'];
  for (const w of rows) {
    if (!w.result) {
      out.push(pad(w.window, width) + pad(w.mode, 12) + `failed: ${w.error ?? ''}`);
      continue;
    }
    const r = w.result, ok = wrkSuccess(r);
    const errors = Object.entries(r.errors).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ');
    out.push(
      pad(w.window, width) + pad(w.mode, 12) + pad(String(Math.round(r.requestsPerSec)), 10) +
        pad(`${ok.ok}/${ok.ok + ok.failed}${ok.ratio === null ? '' : ` ${(100 * ok.ratio).toFixed(1)}%`}`, 18) +
        pad(lat(r.latencyMs.p50), 9) + pad(lat(r.latencyMs.p90), 9) + pad(lat(r.latencyMs.p99), 9) + procCell(w) + (errors || 'none') +
        (w.interrupted ? ` (wrk ran past its window and was stopped: it measured ${r.durationS.toFixed(1)} s)` : ''),
    );
  }
  return out;
}
