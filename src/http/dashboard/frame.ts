// One dashboard frame: what the page redraws each second (verdict, totals, queues, top talkers, the kernel meter's
// top SYN senders, the newest point).
// Pure: built from the tick the daemon announced and the status report, either of which may be missing.
import type { Assessment } from '../../detect/assess.js';
import type { StatusReport } from '../../detect/report.js';
import type { SynSender } from '../../detect/syn-senders.js';
import type { StoreHealth } from '../../store/index.js';
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

/** The attack the daemon holds open, as the live feed saw it start, and whom it banned since. */
export interface AttackInfo {
  readonly since: number;
  /** The kind at its start (`syn-flood`, `connection-flood`, …). */
  readonly kind: string;
  /** The first values banned since it started (a few), and how many in all. */
  readonly banned: readonly string[];
  readonly bannedCount: number;
}

/** Kinds that mean "no flood seen now": while the daemon still holds an attack open, it is mitigated (or subsiding). */
const QUIET = new Set(['none', 'weak-config']);

/** The dashboard's own connections to the API come from loopback; loopback is never banned, so it is no top talker. */
const loopback = (address: string) => address.startsWith('127.') || address === '::1';

export interface Frame {
  /** ms since the epoch of the data (the daemon's clock, so the page can correct for its own). */
  readonly at: number;
  readonly verdict: { readonly kind: string; readonly summary: string; readonly evidence: readonly string[] } | null;
  readonly underAttack: boolean;
  /** When the attack the daemon holds open began (ms), or null. */
  readonly attackSince: number | null;
  /**
   * The attack is still held open but no flood is seen now: its kind, and whom synguard banned since it began (empty:
   * it subsided on its own or under SYN cookies). The page then says MITIGATED instead of the calm verdict.
   */
  readonly mitigated: { readonly kind: string; readonly banned: readonly string[]; readonly bannedCount: number } | null;
  readonly totals: { readonly halfOpen: number; readonly established: number; readonly sockets: number; readonly sources: number } | null;
  readonly point: Point | null;
  readonly listeners: ReadonlyArray<{ address: string; port: number; synRecv: number; backlog: number | null; acceptQueue: number; fill: number | null }>;
  readonly sources: ReadonlyArray<{ address: string; synRecv: number; established: number; total: number }>;
  readonly established: ReadonlyArray<{ address: string; synRecv: number; established: number; total: number }>;
  readonly prefixes: ReadonlyArray<{ prefix: string; addresses: number; synRecv: number; established: number }>;
  /** The kernel SYN-rate meter's top senders (an address, or a prefix's CIDR), highest rate first; empty without a meter. */
  readonly synSenders: ReadonlyArray<{ address: string; synPerSecond: number; proven: boolean; dropped: boolean; capped?: true }>;
  /** Ignored listeners beyond FRAME_ROWS.listeners, so the page can say "and N more". */
  readonly moreListeners: number;
  /** Set while the store cannot write (the page shows a banner): why, since when (ms), writes held in memory. */
  readonly storeDegraded: { readonly error: string | null; readonly since: number | null; readonly held: number } | null;
}

const source = (s: StatusReport['sources'][number]) => ({ address: s.address, synRecv: s.synRecv, established: s.established, total: s.total });

export function buildFrame(tick: TickInfo | null, report: StatusReport | null, attack: AttackInfo | null, now: number, store: StoreHealth | null = null): Frame {
  const a = tick?.assessment ?? report?.assessment ?? null;
  const listeners = report?.listeners ?? [];
  const held = tick?.underAttack === true ? attack : null;
  return {
    at: tick?.at ?? (report ? Date.parse(report.takenAt) : now),
    verdict: a ? { kind: a.kind, summary: a.summary, evidence: a.evidence.slice(0, 6) } : null,
    underAttack: tick?.underAttack ?? false,
    attackSince: held?.since ?? null,
    mitigated: held && a && QUIET.has(a.kind) ? { kind: held.kind, banned: held.banned, bannedCount: held.bannedCount } : null,
    totals: report
      ? { halfOpen: report.totals.halfOpen, established: report.totals.established, sockets: report.totals.sockets, sources: report.totals.sources }
      : null,
    point: tick?.point ?? null,
    listeners: listeners.slice(0, FRAME_ROWS.listeners).map((l) => ({
      address: l.address, port: l.port, synRecv: l.synRecv, backlog: l.backlog, acceptQueue: l.acceptQueue, fill: l.fill,
    })),
    moreListeners: Math.max(0, listeners.length - FRAME_ROWS.listeners),
    sources: (report?.sources ?? []).filter((s) => s.synRecv > 0 && !loopback(s.address)).slice(0, FRAME_ROWS.sources).map(source),
    established: (report?.topEstablished ?? []).filter((s) => s.established > 0 && !loopback(s.address)).slice(0, FRAME_ROWS.sources).map(source),
    prefixes: (report?.prefixes ?? []).filter((p) => !loopback(p.prefix)).slice(0, FRAME_ROWS.prefixes).map((p) => ({
      prefix: p.prefix, addresses: p.addresses, synRecv: p.synRecv, established: p.established,
    })),
    synSenders: (tick?.synSenders ?? []).slice(0, FRAME_ROWS.synSenders).map((s) => ({
      address: s.address, synPerSecond: s.synPerSecond, proven: s.proven, dropped: s.dropped, ...(s.capped ? { capped: true as const } : {}),
    })),
    storeDegraded: store && !store.writable ? { error: store.error, since: store.since, held: store.held } : null,
  };
}
