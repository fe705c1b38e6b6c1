// For tests: a run of daemon `tick` events built from a captured snapshot, one a second, with chosen socket counts
// and SYN-cookie counters (everything else is the capture's).
import type { DaemonEvent } from '../bus/events.js';
import type { Assessment } from '../detect/assess.js';
import type { Snapshot } from '../detect/snapshot.js';
import type { SynSender } from '../detect/syn-senders.js';
import { fixtureSnapshots, T0 } from './samples.js';
import { defenderSources } from './sources.js';

export interface TickSpec {
  readonly synRecv: number;
  readonly established: number;
  /** Cumulative SyncookiesSent / SyncookiesRecv, as the kernel counts them. */
  readonly sent: number;
  readonly recv: number;
  readonly underAttack?: boolean;
  readonly kind?: Assessment['kind'];
  /** The kernel meter's senders this tick (none by default). */
  readonly synSenders?: readonly SynSender[];
}

export function snapshotLike(base: Snapshot, at: number, spec: TickSpec): Snapshot {
  return {
    ...base,
    takenAt: at,
    halfOpen: spec.synRecv,
    established: spec.established,
    raw: { ...base.raw, takenAt: at, counters: { ...base.raw.counters, SyncookiesSent: spec.sent, SyncookiesRecv: spec.recv } },
  };
}

/** Tick events 1 s apart from `start`, each with the snapshot before it as `prev` (none before the first). */
export function sampleTicks(specs: readonly TickSpec[], start = T0, capture = 'spoofed-v4-cookies'): Array<Extract<DaemonEvent, { type: 'tick' }>> {
  const [, base] = fixtureSnapshots(capture);
  let prev: Snapshot | undefined;
  return specs.map((spec, i) => {
    const at = start + i * 1000;
    const cur = snapshotLike(base, at, spec);
    const kind = spec.kind ?? (spec.underAttack ? 'spoofed-syn-flood' : 'none');
    const event = {
      type: 'tick' as const, at, prev, cur, sources: defenderSources(cur), underAttack: spec.underAttack ?? false, synSenders: spec.synSenders ?? [],
      assessment: { kind, summary: `${kind} at tick ${i}`, evidence: [`${spec.synRecv} half-open`], offenders: [] },
    };
    prev = cur;
    return event;
  });
}
