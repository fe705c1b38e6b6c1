// The status report: the object `synguard status --json` prints, built from two snapshots. Pure.
import type { DetectionConfig } from '../config/schema.js';
import { assess, offenderOptions, type Assessment } from './assess.js';
import { configNotes, type ConfigNote } from './notes.js';
import { counterRates, elapsedSeconds, linkRates, type CounterRate, type LinkRates } from './rates.js';
import type { ListenerStat, Snapshot } from './snapshot.js';
import { summarizeSources, type PrefixStat, type SourceStat } from './sources.js';
import type { SynSender } from './syn-senders.js';

export interface StatusReport {
  readonly takenAt: string;
  /** Seconds between the two samples behind the rates; 0 when rates are null. */
  readonly intervalSeconds: number;
  readonly assessment: Assessment;
  readonly states: Readonly<Record<string, number>>;
  readonly totals: { sockets: number; halfOpen: number; established: number; sources: number; halfOpenSources: number };
  readonly listeners: ReadonlyArray<ListenerStat & { fill: number | null }>;
  readonly listenerError: string | null;
  readonly sources: SourceStat[];
  readonly topEstablished: SourceStat[];
  readonly prefixes: PrefixStat[];
  readonly counters: Record<string, CounterRate>;
  readonly sysctls: Readonly<Record<string, number | null>>;
  readonly notes: ConfigNote[];
  readonly links: Record<string, LinkRates>;
  readonly parseErrors: Snapshot['parseErrors'];
  /** Top SYN senders by packet rate, from the kernel's meter (sources SYN cookies hide from SYN_RECV included); highest first. */
  readonly synSenders: SynSender[];
}

export function buildReport(prev: Snapshot | undefined, cur: Snapshot, cfg: DetectionConfig, top: number, senders: readonly SynSender[] = []): StatusReport {
  const src = summarizeSources(cur, offenderOptions(cfg, top));
  return {
    takenAt: new Date(cur.takenAt).toISOString(),
    intervalSeconds: elapsedSeconds(prev, cur),
    assessment: assess(prev, cur, cfg, src, senders),
    states: cur.states,
    totals: { sockets: cur.sockets, halfOpen: cur.halfOpen, established: cur.established, sources: src.distinct, halfOpenSources: src.halfOpenSources },
    listeners: cur.listeners.map((l) => ({ ...l, fill: l.backlog ? l.synRecv / l.backlog : null })),
    listenerError: cur.listenerError,
    sources: src.top,
    topEstablished: src.topEstablished,
    prefixes: src.topPrefixes,
    counters: counterRates(prev, cur),
    sysctls: cur.raw.sysctls,
    notes: configNotes(cur, cfg),
    links: linkRates(prev, cur),
    parseErrors: cur.parseErrors,
    synSenders: senders.slice(0, top),
  };
}
