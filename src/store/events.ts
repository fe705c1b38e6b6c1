// Attacks and other state changes over time (start, end, kind, summary), for `synguard history`.
import type Database from 'better-sqlite3';

export interface StoredEvent {
  readonly id: number;
  /** e.g. "syn-flood", "spoofed-syn-flood", "connection-flood", "hardening". */
  readonly kind: string;
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly summary: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

interface Row { id: number; kind: string; started_at: number; ended_at: number | null; summary: string; detail: string }

const fromRow = (r: Row): StoredEvent => ({
  id: r.id, kind: r.kind, startedAt: r.started_at, endedAt: r.ended_at, summary: r.summary,
  detail: JSON.parse(r.detail) as Record<string, unknown>,
});

export class EventRepo {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      start: db.prepare('INSERT INTO events (kind, started_at, summary, detail) VALUES (@kind, @now, @summary, @detail)'),
      end: db.prepare(`UPDATE events SET ended_at = @now, summary = coalesce(@summary, summary),
                       detail = coalesce(@detail, detail) WHERE id = @id AND ended_at IS NULL`),
      open: db.prepare<[], Row>('SELECT * FROM events WHERE ended_at IS NULL ORDER BY id'),
      list: db.prepare<{ since: number; limit: number }, Row>('SELECT * FROM events WHERE started_at >= @since ORDER BY id DESC LIMIT @limit'),
    };
  }

  /** Records the start of an attack or state change; returns its id. */
  start(kind: string, summary: string, now: number, detail: Record<string, unknown> = {}): number {
    return Number(this.s.start.run({ kind, summary, now, detail: JSON.stringify(detail) }).lastInsertRowid);
  }

  /** Marks an open event as ended, optionally with a final summary and detail; false if it was not open. */
  end(id: number, now: number, final: { summary?: string; detail?: Record<string, unknown> } = {}): boolean {
    const detail = final.detail === undefined ? null : JSON.stringify(final.detail);
    return this.s.end.run({ id, now, summary: final.summary ?? null, detail }).changes > 0;
  }

  /** Events still going on (e.g. after a restart mid-attack). */
  open(): StoredEvent[] {
    return this.s.open.all().map(fromRow);
  }

  /** Events started at or after `since`, newest first. */
  list(options: { since?: number; limit?: number } = {}): StoredEvent[] {
    return this.s.list.all({ since: options.since ?? 0, limit: options.limit ?? -1 }).map(fromRow);
  }
}
