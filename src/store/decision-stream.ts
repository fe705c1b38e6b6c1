// What a CrowdSec bouncer is served (GET /v1/decisions/stream): the enforced decisions in force, those made since a
// decision id, and those that ended or expired since a time. Dry-run decisions are never served.
import type Database from 'better-sqlite3';
import type { Origin } from '../core/decision.js';

export interface StreamRow {
  readonly id: number;
  readonly value: string;
  readonly origin: Origin;
  readonly reason: string;
  readonly until: number;
  /** When it ended early (unban), else null. */
  readonly endedAt: number | null;
}

const COLUMNS = 'id, value, origin, reason, until, ended_at AS endedAt';
const LIVE = 'dry_run = 0 AND ended_at IS NULL AND until > @now';

export class DecisionStreamRepo {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      active: db.prepare<{ now: number }, StreamRow>(`SELECT ${COLUMNS} FROM decisions WHERE ${LIVE} ORDER BY id`),
      newer: db.prepare<{ now: number; after: number }, StreamRow>(`SELECT ${COLUMNS} FROM decisions WHERE id > @after AND ${LIVE} ORDER BY id`),
      ended: db.prepare<{ now: number; since: number }, StreamRow>(`SELECT ${COLUMNS} FROM decisions WHERE dry_run = 0 AND
               ((ended_at > @since AND ended_at <= @now AND ended_at < until) OR (ended_at IS NULL AND until > @since AND until <= @now))
               ORDER BY id`),
      maxId: db.prepare<[], { n: number | null }>('SELECT max(id) AS n FROM decisions'),
    };
  }

  active(now: number): StreamRow[] {
    return this.s.active.all({ now });
  }

  /** In force at `now` and with an id above `after`. */
  newer(after: number, now: number): StreamRow[] {
    return this.s.newer.all({ after, now });
  }

  /** Ended early or expired in (since, now]. */
  ended(since: number, now: number): StreamRow[] {
    return this.s.ended.all({ since, now });
  }

  maxId(): number {
    return this.s.maxId.get()?.n ?? 0;
  }
}
