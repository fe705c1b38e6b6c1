// Announcements kept in memory: dry-run records nothing in the store, but the policy still needs its history.
import type { AnnouncementRecord, AnnouncementEndKind, NewAnnouncement } from '../store/announcements.js';
import type { AnnouncementBook } from './controller.js';

export class MemoryBook implements AnnouncementBook {
  private rows: AnnouncementRecord[] = [];

  add(a: NewAnnouncement): AnnouncementRecord {
    const r: AnnouncementRecord = { ...a, id: this.rows.length + 1, endedAt: null, endedBy: null, endKind: null };
    this.rows.push(r);
    return r;
  }

  open(): AnnouncementRecord[] {
    return this.rows.filter((r) => r.endedAt === null);
  }

  endedSince(since: number): AnnouncementRecord[] {
    return this.rows.filter((r) => r.endedAt !== null && r.endedAt >= since);
  }

  end(id: number, now: number, by: string, kind: AnnouncementEndKind): boolean {
    const i = this.rows.findIndex((r) => r.id === id && r.endedAt === null);
    const r = this.rows[i];
    if (r === undefined) return false;
    this.rows[i] = { ...r, endedAt: now, endedBy: by, endKind: kind };
    this.rows = this.rows.filter((x) => x.endedAt === null || x.endedAt >= now - 86_400_000); // bounded
    return true;
  }
}
