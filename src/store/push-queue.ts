// The push queue to a CrowdSec Local API: one 'publish' and at most one 'withdraw' row per decision, kept in SQLite
// until sent, so a LAPI outage or a restart loses nothing. A row is 'sending' while its request is out: after a
// crash or an ambiguous failure, the sender checks the LAPI before sending it again (nothing is sent twice).
import type Database from 'better-sqlite3';
import type { DecisionRecord } from './decisions.js';

export type PushKind = 'publish' | 'withdraw';
export type PushState = 'pending' | 'sending' | 'sent' | 'dropped';

export interface PushItem {
  readonly id: number;
  readonly decisionId: number;
  readonly kind: PushKind;
  readonly state: PushState;
  readonly attempts: number;
  readonly nextAt: number;
  readonly lastError: string | null;
  /** The LAPI's alert ids of a publish, comma-separated (a ban extended here is published again). */
  readonly alertId: string | null;
  /** The end last published. */
  readonly until: number | null;
}

export interface QueueCounts {
  readonly pending: number;
  readonly sending: number;
  readonly sent: number;
  readonly dropped: number;
  /** The oldest unsent row's creation time (ms), null when nothing waits. */
  readonly oldestPendingAt: number | null;
  readonly lastError: string | null;
}

interface Row { id: number; decision_id: number; kind: PushKind; state: PushState; attempts: number; next_at: number; last_error: string | null; alert_id: string | null; until: number | null }
const item = (r: Row): PushItem => ({
  id: r.id, decisionId: r.decision_id, kind: r.kind, state: r.state, attempts: r.attempts, nextAt: r.next_at, lastError: r.last_error, alertId: r.alert_id, until: r.until,
});

/** Decisions that are published: made here (not pulled from the LAPI), enforced (not a dry run). */
const PUBLISHABLE = "origin != 'crowdsec' AND dry_run = 0";

export class PushQueueRepo {
  private readonly s;

  constructor(private readonly db: Database.Database) {
    const p = <P extends unknown[] | Record<string, unknown>, R = unknown>(sql: string) => db.prepare<P, R>(sql);
    this.s = {
      newDecisions: p<{ after: number; now: number }, { id: number }>(`SELECT id FROM decisions WHERE id > @after AND ${PUBLISHABLE}
                      AND ended_at IS NULL AND until > @now ORDER BY id`),
      maxDecision: p<[], { n: number | null }>('SELECT max(id) AS n FROM decisions'),
      addPublish: p<{ decisionId: number; now: number }>(`INSERT OR IGNORE INTO fleet_push (decision_id, kind, state, created_at)
                      VALUES (@decisionId, 'publish', 'pending', @now)`),
      // Published (or on its way) and since ended by an unban or superseded: withdraw it from the LAPI.
      endedPublished: p<[], { decision_id: number; state: PushState; alert_id: string | null }>(`SELECT p.decision_id, p.state, p.alert_id FROM fleet_push p JOIN decisions d ON d.id = p.decision_id
                      WHERE p.kind = 'publish' AND p.state IN ('pending', 'sending', 'sent') AND d.ended_at IS NOT NULL
                        AND NOT EXISTS (SELECT 1 FROM fleet_push w WHERE w.decision_id = p.decision_id AND w.kind = 'withdraw')`),
      addWithdraw: p<{ decisionId: number; now: number }>(`INSERT OR IGNORE INTO fleet_push (decision_id, kind, state, created_at)
                      VALUES (@decisionId, 'withdraw', 'pending', @now)`),
      // Sent, still in force, and extended here since by more than a minute: published again with the new end.
      extended: p<{ now: number }>(`UPDATE fleet_push SET state = 'pending', attempts = 0, next_at = 0 WHERE kind = 'publish' AND state = 'sent'
                      AND decision_id IN (SELECT id FROM decisions WHERE ended_at IS NULL AND until > @now)
                      AND (SELECT until FROM decisions WHERE id = decision_id) > until + 60000`),
      dropPublish: p<{ decisionId: number; now: number; why: string }>(`UPDATE fleet_push SET state = 'dropped', done_at = @now, last_error = @why
                      WHERE decision_id = @decisionId AND kind = 'publish' AND state = 'pending'`),
      due: p<{ kind: PushKind; now: number; limit: number }, Row>(`SELECT * FROM fleet_push WHERE kind = @kind AND state = 'pending' AND next_at <= @now
                      ORDER BY id LIMIT @limit`),
      inFlight: p<[], Row>("SELECT * FROM fleet_push WHERE state = 'sending' ORDER BY id"),
      mark: p<{ id: number; state: PushState; now: number; alertId: string | null; until: number | null }>(`UPDATE fleet_push SET state = @state,
                      alert_id = CASE WHEN @alertId IS NULL THEN alert_id WHEN alert_id IS NULL THEN @alertId ELSE alert_id || ',' || @alertId END,
                      until = coalesce(@until, until),
                      done_at = CASE WHEN @state IN ('sent', 'dropped') THEN @now ELSE done_at END WHERE id = @id`),
      retry: p<{ id: number; nextAt: number; error: string }>(`UPDATE fleet_push SET state = 'pending', attempts = attempts + 1, next_at = @nextAt,
                      last_error = @error WHERE id = @id`),
      publishOf: p<{ decisionId: number }, Row>("SELECT * FROM fleet_push WHERE decision_id = @decisionId AND kind = 'publish'"),
      counts: p<[], { state: PushState; n: number; oldest: number | null }>(`SELECT state, count(*) AS n,
                      min(CASE WHEN state IN ('pending', 'sending') THEN created_at END) AS oldest FROM fleet_push GROUP BY state`),
      lastError: p<[], { last_error: string | null }>(`SELECT last_error FROM fleet_push WHERE state IN ('pending', 'sending')
                      AND last_error IS NOT NULL ORDER BY id DESC LIMIT 1`),
    };
  }

  /**
   * Queues what changed in `decisions` since decision id `after`: a publish for each new publishable decision in
   * force, a withdraw for each published one that ended (one never sent is dropped instead), a publish again for one
   * extended here. Idempotent; returns the id to scan after next time.
   */
  scan(after: number, now: number): { next: number; published: number; withdrawn: number } {
    return this.db.transaction(() => {
      let published = 0, withdrawn = 0;
      for (const { id } of this.s.newDecisions.all({ after, now })) published += this.s.addPublish.run({ decisionId: id, now }).changes;
      for (const { decision_id: decisionId, state, alert_id: alertId } of this.s.endedPublished.all()) {
        if (state === 'pending' && alertId === null) this.s.dropPublish.run({ decisionId, now, why: 'ended before it was sent' });
        else withdrawn += this.s.addWithdraw.run({ decisionId, now }).changes;
      }
      const extended = this.s.extended.run({ now }).changes;
      return { next: Math.max(after, this.s.maxDecision.get()?.n ?? 0), published: published + extended, withdrawn };
    })();
  }

  /** Pending rows of one kind whose retry time has come, oldest first. */
  due(kind: PushKind, now: number, limit: number): PushItem[] {
    return this.s.due.all({ kind, now, limit }).map(item);
  }

  /** Rows whose request went out without a known outcome (a crash, a timeout). */
  inFlight(): PushItem[] {
    return this.s.inFlight.all().map(item);
  }

  /**
   * Marks rows 'sending' (committed before the request leaves) or done ('sent' with the LAPI alert id added to the
   * row's and the end published, or 'dropped').
   */
  mark(ids: readonly number[], state: PushState, now: number, sent?: ReadonlyArray<{ alertId: string; until: number | null }>): void {
    this.db.transaction(() => ids.forEach((id, i) => this.s.mark.run({ id, state, now, alertId: sent?.[i]?.alertId ?? null, until: sent?.[i]?.until ?? null })))();
  }

  /** Back to 'pending', retried at nextAt, with the error that stopped it. */
  retry(ids: readonly number[], nextAt: number, error: string): void {
    this.db.transaction(() => ids.forEach((id) => this.s.retry.run({ id, nextAt, error })))();
  }

  /** The publish row of a decision (its LAPI alert id, once sent). */
  publishOf(decisionId: number): PushItem | undefined {
    const row = this.s.publishOf.get({ decisionId });
    return row ? item(row) : undefined;
  }

  counts(): QueueCounts {
    const c = { pending: 0, sending: 0, sent: 0, dropped: 0 };
    let oldest: number | null = null;
    for (const r of this.s.counts.all()) {
      c[r.state] = r.n;
      if (r.oldest !== null) oldest = oldest === null ? r.oldest : Math.min(oldest, r.oldest);
    }
    return { ...c, oldestPendingAt: oldest, lastError: this.s.lastError.get()?.last_error ?? null };
  }
}

export type { DecisionRecord };
