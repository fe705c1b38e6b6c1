// The decisions repository: saved before they are applied, listed as active at a given time, ended with who and when.
import type Database from 'better-sqlite3';
import type { Decision, Origin } from '../core/decision.js';

export type EndKind = 'unban' | 'superseded';

/** A decision as history shows it: with how it ended, if it ended before `until`. */
export interface DecisionRecord extends Decision {
  readonly id: number;
  readonly endedAt: number | null;
  readonly endedBy: string | null;
  readonly endKind: EndKind | null;
  /** Made by a dry run: stored for review, never enforced, never counted for caps or escalation of real bans. */
  readonly dryRun: boolean;
}

export interface EndRequest {
  readonly now: number;
  /** Who ended it: "cli", "daemon", "superseded by 203.0.113.0/24", … */
  readonly by: string;
  readonly kind: EndKind;
}

/** Columns in table order; rows are read in raw (array) mode, which is several times faster than objects. */
type Row = [
  id: number, scope: 'ip' | 'prefix', value: string, action: 'ban', reason: string, evidence: string,
  origin: Origin, createdAt: number, until: number, offence: number,
  endedAt: number | null, endedBy: string | null, endKind: EndKind | null, dryRun: 0 | 1,
];

/** The evidence column (JSON text); most rows hold none and skip the parse. */
const evidenceOf = (text: string): string[] => (text === '[]' ? [] : (JSON.parse(text) as string[]));

function fromRow(r: Row): DecisionRecord {
  return {
    id: r[0], scope: r[1], value: r[2], action: r[3], reason: r[4], evidence: evidenceOf(r[5]),
    origin: r[6], createdAt: r[7], until: r[8], offence: r[9], endedAt: r[10], endedBy: r[11], endKind: r[12], dryRun: r[13] === 1,
  };
}

const COLUMNS = 'id, scope, value, action, reason, evidence, origin, created_at, until, offence, ended_at, ended_by, end_kind, dry_run';

/** What a list of bans shows of a decision (`synguard bans`): reading only these columns lists 100k about 7% faster. */
export type ListedBan = Pick<DecisionRecord, 'value' | 'scope' | 'reason' | 'origin' | 'until' | 'createdAt' | 'offence' | 'evidence' | 'dryRun'>;
type ListedRow = [id: number, value: string, scope: 'ip' | 'prefix', reason: string, origin: Origin, createdAt: number, until: number, offence: number, evidence: string, dryRun: 0 | 1];
const LISTED = 'id, value, scope, reason, origin, created_at, until, offence, evidence, dry_run';

function listedFromRow(r: ListedRow): ListedBan {
  return {
    value: r[1], scope: r[2], reason: r[3], origin: r[4], createdAt: r[5], until: r[6], offence: r[7],
    evidence: evidenceOf(r[8]), dryRun: r[9] === 1,
  };
}

const LIVE = 'ended_at IS NULL AND until > @now';
/** Rows per read when streaming the active decisions: short-lived pages instead of 100k records alive at once. */
const PAGE = 1000;
/** Live, and of the kind asked: real decisions (@dry = 0, the kernel's truth) or a dry run's (@dry = 1). */
const LIVE_OF = `${LIVE} AND dry_run = @dry`;

export class DecisionRepo {
  private readonly s;
  /** Writes through this connection; with SQLite's data_version (writes by others) it tells when `active` may change. */
  private writes = 0;
  /** The active decisions as last read, kept until a write: the daemon asks every tick, and 100k rows take ~0.7 s. */
  private cache: { revision: string; readAt: number; rows: DecisionRecord[] } | null = null;

  constructor(private readonly db: Database.Database) {
    const p = <R>(sql: string) => db.prepare<unknown[] | Record<string, unknown>, R>(sql);
    const rows = (sql: string) => db.prepare<unknown[] | Record<string, unknown>, Row>(sql.replace('*', COLUMNS)).raw(true);
    this.s = {
      insert: db.prepare<unknown[]>(`INSERT INTO decisions (scope, value, action, reason, evidence, origin, created_at, until, offence, dry_run)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      active: rows(`SELECT * FROM decisions WHERE ${LIVE_OF} ORDER BY id`),
      activePage: db.prepare<Record<string, unknown>, ListedRow>(`SELECT ${LISTED} FROM decisions WHERE ${LIVE_OF} AND id > @after ORDER BY id LIMIT ${PAGE}`).raw(true),
      findActive: rows(`SELECT * FROM decisions WHERE value = @value AND ${LIVE} ORDER BY until DESC LIMIT 1`),
      byValue: rows('SELECT * FROM decisions WHERE value = @value ORDER BY id DESC'),
      history: rows('SELECT * FROM decisions WHERE created_at >= @since ORDER BY id DESC LIMIT @limit'),
      end: p(`UPDATE decisions SET ended_at = @now, ended_by = @by, end_kind = @kind WHERE id = @id AND ${LIVE}`),
      endValue: rows(`UPDATE decisions SET ended_at = @now, ended_by = @by, end_kind = @kind
                        WHERE value = @value AND ${LIVE} RETURNING *`),
      extend: p(`UPDATE decisions SET until = @until WHERE id = @id AND until < @until AND ${LIVE}`),
      offences: p<{ n: number }>(`SELECT count(*) AS n FROM decisions WHERE value = @value AND created_at > @since
                                  AND created_at <= @now AND end_kind IS NOT 'unban' AND dry_run = @dry`),
      activeCount: db.prepare<Record<string, unknown>, number>(`SELECT count(*) FROM decisions WHERE ${LIVE_OF}`).pluck(true),
      activeAuto: p<{ n: number }>(`SELECT count(*) AS n FROM decisions WHERE origin IN ('auto', 'kernel') AND ${LIVE_OF}`),
      purge: p('DELETE FROM decisions WHERE min(until, coalesce(ended_at, until)) < @before'),
      autoSince: p<{ n: number }>(`SELECT count(*) AS n FROM decisions WHERE origin IN ('auto', 'kernel') AND created_at >= @since
                                  AND dry_run = @dry`),
    };
  }

  /** Saves one decision and returns it with its id. */
  insert(d: Decision): DecisionRecord {
    this.writes++;
    const dryRun = d.dryRun === true;
    const info = this.s.insert.run(d.scope, d.value, d.action, d.reason, JSON.stringify(d.evidence), d.origin, d.createdAt, d.until, d.offence, dryRun ? 1 : 0);
    return { ...d, id: Number(info.lastInsertRowid), endedAt: null, endedBy: null, endKind: null, dryRun };
  }

  /** Saves many decisions in one transaction: all or none. */
  insertMany(ds: readonly Decision[]): DecisionRecord[] {
    return this.db.transaction(() => ds.map((d) => this.insert(d)))();
  }

  /** Changes whenever the decisions may have changed: a write here, or a commit by another process (CLI, API). */
  revision(): string {
    return `${String(this.db.pragma('data_version', { simple: true }))}:${this.writes}`;
  }

  /**
   * Decisions in force at `now`: not ended, `until` still ahead, in id order; a dry run's only when asked (they are
   * few, and never cached). Served from memory while nothing was
   * written (time only removes rows from the set, so the cached rows filtered by `now` are exact); never cached
   * inside a transaction, whose writes may still roll back.
   */
  active(now: number, dryRun = false): DecisionRecord[] {
    if (dryRun) return this.s.active.all({ now, dry: 1 }).map(fromRow);
    const revision = this.revision();
    const c = this.cache;
    if (c && c.revision === revision && now >= c.readAt) return c.rows.filter((d) => d.until > now);
    const rows = this.s.active.all({ now, dry: 0 }).map(fromRow);
    this.cache = this.db.inTransaction ? null : { revision, readAt: now, rows };
    return rows.slice();
  }

  /**
   * The same decisions as `active`, as a list shows them, read a page at a time (by id, so each page is one index
   * range): for a reader that writes them out at once (`bans --json`), 100k records never live together and the
   * garbage collector stays young.
   */
  *iterateActive(now: number, dryRun = false): IterableIterator<ListedBan> {
    for (let after = 0; ;) {
      const page = this.s.activePage.all({ now, dry: dryRun ? 1 : 0, after });
      for (const row of page) yield listedFromRow(row);
      const last = page.at(-1);
      if (!last || page.length < PAGE) return;
      after = last[0];
    }
  }

  /** The active decision on exactly this value (canonical CIDR text), if any. */
  findActive(value: string, now: number): DecisionRecord | undefined {
    const row = this.s.findActive.get({ value, now });
    return row ? fromRow(row) : undefined;
  }

  /** Every decision ever made on this value, newest first. */
  byValue(value: string): DecisionRecord[] {
    return this.s.byValue.all({ value }).map(fromRow);
  }

  /** Decisions created at or after `since`, newest first. */
  history(options: { since?: number; limit?: number } = {}): DecisionRecord[] {
    return this.s.history.all({ since: options.since ?? 0, limit: options.limit ?? -1 }).map(fromRow);
  }

  /** Ends one active decision; false when it was not active. */
  end(id: number, request: EndRequest): boolean {
    this.writes++;
    return this.s.end.run({ id, ...request }).changes > 0;
  }

  /** Ends every active decision on this value (an unban); returns those ended. */
  endValue(value: string, request: EndRequest): DecisionRecord[] {
    this.writes++;
    return this.s.endValue.all({ value, ...request }).map(fromRow);
  }

  /** Moves an active decision's end later; false when it was not active or already ends later. */
  extend(id: number, until: number, now: number): boolean {
    this.writes++;
    return this.s.extend.run({ id, until, now }).changes > 0;
  }

  /** Past offences per value within `windowMs` before `now`, for escalation (bans lifted by an unban are forgiven). */
  offences(values: Iterable<string>, now: number, windowMs: number, dryRun = false): Map<string, number> {
    const counts = new Map<string, number>();
    for (const value of values) {
      if (!counts.has(value)) counts.set(value, this.s.offences.get({ value, now, since: now - windowMs, dry: dryRun ? 1 : 0 })?.n ?? 0);
    }
    return counts;
  }

  /** How many decisions are in force at `now`, counted by SQLite (status's daemon line: no rows read). */
  activeCount(now: number): number {
    return this.s.activeCount.get({ now, dry: 0 }) ?? 0;
  }

  /** Auto-bans in force at `now` (the total cap). */
  activeAutoCount(now: number, dryRun = false): number {
    return this.s.activeAuto.get({ now, dry: dryRun ? 1 : 0 })?.n ?? 0;
  }

  /** Forgets decisions that ended before `before` (keep at least `bans.memory` of them for escalation). */
  purge(before: number): number {
    this.writes++;
    return this.s.purge.run({ before }).changes;
  }

  /** Auto-bans created at or after `since` (the per-minute cap). */
  autoCreatedSince(since: number, dryRun = false): number {
    return this.s.autoSince.get({ since, dry: dryRun ? 1 : 0 })?.n ?? 0;
  }
}
