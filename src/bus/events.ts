// What the defender tells the rest of the daemon (dashboard, notifications, attack reports) as it happens.
// Listeners are called synchronously inside the tick: they must be cheap and must not throw (errors are caught and
// logged by the bus, never allowed to stop the defender).
import type { Decision } from '../core/decision.js';
import type { Assessment, AssessmentKind } from '../detect/assess.js';
import type { Snapshot } from '../detect/snapshot.js';
import type { SourceSummary } from '../detect/sources.js';
import type { SynSender } from '../detect/syn-senders.js';

export type DaemonEvent =
  /** Every tick, after detection: the two latest snapshots (prev is undefined on the first tick) and the per-source summary (top 10). */
  | {
      readonly type: 'tick'; readonly at: number; readonly prev: Snapshot | undefined; readonly cur: Snapshot;
      readonly assessment: Assessment; readonly sources: SourceSummary; readonly underAttack: boolean;
      /** The kernel meter's top SYN senders this tick (empty without a meter). */
      readonly synSenders: readonly SynSender[];
    }
  | { readonly type: 'attack-start'; readonly at: number; readonly eventId: number; readonly kind: AssessmentKind; readonly summary: string; readonly evidence: readonly string[] }
  | { readonly type: 'attack-end'; readonly at: number; readonly eventId: number | null; readonly kind: AssessmentKind; readonly startedAt: number | null }
  /** Bans stored this tick (automatic ones from the policy); manual ones come from the CLI or the API. */
  | { readonly type: 'bans'; readonly at: number; readonly decisions: readonly Decision[] }
  | { readonly type: 'hardening'; readonly at: number; readonly mode: 'attack' | 'calm'; readonly changes: readonly string[] };

export type DaemonListener = (event: DaemonEvent) => void;

export interface EventBus {
  emit(event: DaemonEvent): void;
  on(listener: DaemonListener): () => void;
}

/** A synchronous fan-out; a listener that throws is reported through `onError` and the others still run. */
export function eventBus(onError: (err: unknown, event: DaemonEvent['type']) => void): EventBus {
  const listeners = new Set<DaemonListener>();
  return {
    emit(event) {
      for (const l of listeners) {
        try {
          l(event);
        } catch (err) {
          onError(err, event.type);
        }
      }
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
