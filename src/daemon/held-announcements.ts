// Upstream announcements while the store cannot write (store-guard.ts): held in memory, seen by every read, written
// through with the other held writes. A held announcement has a negative id until then; the upstream controller
// re-reads `open()` each tick, so it picks up the real id afterwards.
import type { AnnouncementEndKind, AnnouncementRecord, NewAnnouncement } from '../store/announcements.js';

interface End {
  readonly now: number;
  readonly by: string;
  readonly kind: AnnouncementEndKind;
}

/** What write-through needs of the store's announcements. */
interface AnnouncementWrites {
  add(a: NewAnnouncement): AnnouncementRecord;
  end(id: number, now: number, by: string, kind: AnnouncementEndKind): boolean;
}

export class HeldAnnouncements {
  private nextId = -1;
  private readonly added = new Map<number, AnnouncementRecord>();
  /** Ends of announcements the store holds open. */
  private readonly ends = new Map<number, End>();

  get size(): number {
    return this.added.size + this.ends.size;
  }

  add(a: NewAnnouncement): AnnouncementRecord {
    const r: AnnouncementRecord = { ...a, id: this.nextId--, endedAt: null, endedBy: null, endKind: null };
    this.added.set(r.id, r);
    return r;
  }

  /** Ends a held announcement, or one the store holds open (`openInStore`); false when it was not open. */
  end(id: number, e: End, openInStore: boolean): boolean {
    const held = this.added.get(id);
    if (held) {
      if (held.endedAt !== null) return false;
      this.added.set(id, { ...held, endedAt: e.now, endedBy: e.by, endKind: e.kind });
      return true;
    }
    if (!openInStore || this.ends.has(id)) return false;
    this.ends.set(id, e);
    return true;
  }

  /** The store's rows with the held ends applied, then the held announcements (oldest first). */
  view(stored: readonly AnnouncementRecord[]): AnnouncementRecord[] {
    const ended = stored.map((r) => {
      const e = this.ends.get(r.id);
      return e && r.endedAt === null ? { ...r, endedAt: e.now, endedBy: e.by, endKind: e.kind } : r;
    });
    return [...ended, ...this.added.values()];
  }

  /** Writes everything held into the store (call it inside a transaction), then forgets it; returns how many writes. */
  writeThrough(repo: AnnouncementWrites): number {
    const n = this.size;
    for (const [id, e] of this.ends) repo.end(id, e.now, e.by, e.kind);
    for (const r of this.added.values()) {
      const { endedAt, endedBy, endKind } = r;
      const saved = repo.add({ kind: r.kind, prefix: r.prefix, port: r.port, bytesPerSecond: r.bytesPerSecond, reason: r.reason, evidence: r.evidence, origin: r.origin, createdAt: r.createdAt, until: r.until });
      if (endedAt !== null && endKind !== null) repo.end(saved.id, endedAt, endedBy ?? 'daemon', endKind);
    }
    this.ends.clear();
    this.added.clear();
    return n;
  }
}
