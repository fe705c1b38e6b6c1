// The upstream announcements repository: each FlowSpec rule or RTBH route is stored before it is sent, and ended
// (withdrawn, expired, superseded) with who and when. After a restart the still-open ones are what is due.
import type Database from 'better-sqlite3';
import type { AnnouncementKind, AnnouncementSpec } from '../core/announcement.js';

export type AnnouncementEndKind = 'withdrawn' | 'expired' | 'superseded';

export interface NewAnnouncement extends AnnouncementSpec {
  readonly reason: string;
  readonly evidence: readonly string[];
  readonly origin: 'auto' | 'manual';
  readonly createdAt: number;
  readonly until: number;
}

export interface AnnouncementRecord extends NewAnnouncement {
  readonly id: number;
  readonly endedAt: number | null;
  readonly endedBy: string | null;
  readonly endKind: AnnouncementEndKind | null;
}

interface Row {
  id: number; kind: AnnouncementKind; prefix: string; port: number | null; bytes_per_second: number | null; reason: string;
  evidence: string; origin: 'auto' | 'manual'; created_at: number; until: number; ended_at: number | null;
  ended_by: string | null; end_kind: AnnouncementEndKind | null;
}

const fromRow = (r: Row): AnnouncementRecord => ({
  id: r.id, kind: r.kind, prefix: r.prefix, port: r.port, bytesPerSecond: r.bytes_per_second, reason: r.reason,
  evidence: JSON.parse(r.evidence) as string[], origin: r.origin, createdAt: r.created_at, until: r.until,
  endedAt: r.ended_at, endedBy: r.ended_by, endKind: r.end_kind,
});

export class AnnouncementRepo {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      insert: db.prepare(`INSERT INTO announcements (kind, prefix, port, bytes_per_second, reason, evidence, origin, created_at, until)
                          VALUES (@kind, @prefix, @port, @bytesPerSecond, @reason, @evidence, @origin, @createdAt, @until)`),
      open: db.prepare<[], Row>('SELECT * FROM announcements WHERE ended_at IS NULL ORDER BY id'),
      endedSince: db.prepare<{ since: number }, Row>('SELECT * FROM announcements WHERE ended_at >= @since ORDER BY id'),
      history: db.prepare<{ since: number; limit: number }, Row>('SELECT * FROM announcements WHERE created_at >= @since ORDER BY id DESC LIMIT @limit'),
      end: db.prepare('UPDATE announcements SET ended_at = @now, ended_by = @by, end_kind = @kind WHERE id = @id AND ended_at IS NULL'),
    };
  }

  /** Stores a new announcement and returns its record. */
  add(a: NewAnnouncement): AnnouncementRecord {
    const id = Number(this.s.insert.run({ ...a, evidence: JSON.stringify(a.evidence) }).lastInsertRowid);
    return { ...a, id, endedAt: null, endedBy: null, endKind: null };
  }

  /** Announcements not ended yet (some may be past `until`: the caller expires them). */
  open(): AnnouncementRecord[] {
    return this.s.open.all().map(fromRow);
  }

  /** Announcements ended at or after `since`. */
  endedSince(since: number): AnnouncementRecord[] {
    return this.s.endedSince.all({ since }).map(fromRow);
  }

  /** Newest first. */
  history(options: { since?: number; limit?: number } = {}): AnnouncementRecord[] {
    return this.s.history.all({ since: options.since ?? 0, limit: options.limit ?? -1 }).map(fromRow);
  }

  /** Ends an open announcement; false when it was already ended. */
  end(id: number, now: number, by: string, kind: AnnouncementEndKind): boolean {
    return this.s.end.run({ id, now, by, kind }).changes > 0;
  }
}
