// One dashboard frame: what the page redraws each second (verdict, totals, queues, top talkers, the kernel meter's
// top SYN senders, the newest point).
// Pure: built from the tick the daemon announced and the status report, either of which may be missing.
import type { Assessment } from '../../detect/assess.js';
import type { StatusReport } from '../../detect/report.js';
import type { SynSender } from '../../detect/syn-senders.js';
import type { Point } from './series.js';

/** How many rows of each list a frame carries. */
export const FRAME_ROWS = { listeners: 8, sources: 10, prefixes: 10, synSenders: 10 } as const;

export interface TickInfo {
  readonly at: number;
  readonly assessment: Assessment;
  readonly underAttack: boolean;
  readonly point: Point;
  /** The kernel meter's senders this tick, highest rate first (absent: none). */
  readonly synSenders?: readonly SynSender[];
}

export interface Frame {
  /** ms since the epoch of the data (the daemon's clock, so the page can correct for its own). */
  readonly at: number;
  readonly verdict: { readonly kind: string; readonly summary: string; readonly evidence: readonly string[] } | null;
  readonly underAttack: boolean;
  /** When the attack the daemon holds open began (ms), or null. */
  readonly attackSince: number | null;
  readonly totals: { readonly halfOpen: number; readonly established: number; readonly sockets: number; readonly sources: number } | null;
  readonly point: Point | null;
  readonly listeners: ReadonlyArray<{ address: string; port: number; synRecv: number; backlog: number | null; acceptQueue: number; fill: number | null }>;
  readonly sources: ReadonlyArray<{ address: string; synRecv: number; established: number; total: number }>;
  readonly established: ReadonlyArray<{ address: string; synRecv: number; established: number; total: number }>;
  readonly prefixes: ReadonlyArray<{ prefix: string; addresses: number; synRecv: number; established: number }>;
  /** The kernel SYN-rate meter's top senders (an address, or a prefix's CIDR), highest rate first; empty without a meter. */
  readonly synSenders: ReadonlyArray<{ address: string; synPerSecond: number; proven: boolean; dropped: boolean }>;
  /** Ignored listeners beyond FRAME_ROWS.listeners, so the page can say "and N more". */
  readonly moreListeners: number;
}

const source = (s: StatusReport['sources'][number]) => ({ address: s.address, synRecv: s.synRecv, established: s.established, total: s.total });

export function buildFrame(tick: TickInfo | null, report: StatusReport | null, attackSince: number | null, now: number): Frame {
  const a = tick?.assessment ?? report?.assessment ?? null;
  const listeners = report?.listeners ?? [];
  return {
    at: tick?.at ?? (report ? Date.parse(report.takenAt) : now),
    verdict: a ? { kind: a.kind, summary: a.summary, evidence: a.evidence.slice(0, 6) } : null,
    underAttack: tick?.underAttack ?? false,
    attackSince: tick?.underAttack ? attackSince : null,
    totals: report
      ? { halfOpen: report.totals.halfOpen, established: report.totals.established, sockets: report.totals.sockets, sources: report.totals.sources }
      : null,
    point: tick?.point ?? null,
    listeners: listeners.slice(0, FRAME_ROWS.listeners).map((l) => ({
      address: l.address, port: l.port, synRecv: l.synRecv, backlog: l.backlog, acceptQueue: l.acceptQueue, fill: l.fill,
    })),
    moreListeners: Math.max(0, listeners.length - FRAME_ROWS.listeners),
    sources: (report?.sources ?? []).filter((s) => s.synRecv > 0).slice(0, FRAME_ROWS.sources).map(source),
    established: (report?.topEstablished ?? []).filter((s) => s.established > 0).slice(0, FRAME_ROWS.sources).map(source),
    prefixes: (report?.prefixes ?? []).slice(0, FRAME_ROWS.prefixes).map((p) => ({
      prefix: p.prefix, addresses: p.addresses, synRecv: p.synRecv, established: p.established,
    })),
    synSenders: (tick?.synSenders ?? []).slice(0, FRAME_ROWS.synSenders).map((s) => ({
      address: s.address, synPerSecond: s.synPerSecond, proven: s.proven, dropped: s.dropped,
    })),
  };
}
