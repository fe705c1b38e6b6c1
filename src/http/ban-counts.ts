// Bans issued and expired, computed from the store at each scrape: counts since this process started.
import type { DecisionRecord, Store } from '../store/index.js';

export interface BanCounts {
  /** Active bans by scope and origin, e.g. "ip/auto" → 12. */
  readonly active: Map<string, number>;
  readonly issued: number;
  readonly expired: number;
}

/**
 * Keeps two running totals between scrapes. Issued: decisions with an id above the highest seen so far (bans made
 * by the daemon, the CLI or the API alike). Expired: active bans that left the active set with their `until` passed
 * (bans ended early by an unban or a wider ban are not expiries).
 */
export class BanCounter {
  private lastId: number;
  private lastCreatedAt: number;
  private issued = 0;
  private expired = 0;
  private active = new Map<number, DecisionRecord>();

  constructor(private readonly store: Store, now: number) {
    this.lastId = store.decisions.history({ limit: 1 })[0]?.id ?? 0;
    this.lastCreatedAt = now;
    for (const d of store.decisions.active(now)) this.active.set(d.id, d);
  }

  /** Brings the totals up to `now` and returns them with the active bans by scope and origin. */
  update(now: number): BanCounts {
    // history() is newest first and from createdAt on; ids tell which ones are new (a clock step back is tolerated).
    const fresh = this.store.decisions.history({ since: Math.min(this.lastCreatedAt, now) - 60_000 }).filter((d) => d.id > this.lastId);
    this.issued += fresh.length;
    for (const d of fresh) {
      this.lastId = Math.max(this.lastId, d.id);
      this.lastCreatedAt = Math.max(this.lastCreatedAt, d.createdAt);
    }
    const current = new Map(this.store.decisions.active(now).map((d) => [d.id, d]));
    for (const [id, d] of this.active) if (!current.has(id) && d.until <= now && this.endedInTime(d)) this.expired += 1;
    this.active = current;
    const byKind = new Map<string, number>();
    for (const d of current.values()) byKind.set(`${d.scope}/${d.origin}`, (byKind.get(`${d.scope}/${d.origin}`) ?? 0) + 1);
    return { active: byKind, issued: this.issued, expired: this.expired };
  }

  /** True unless the ban was ended before its time (an unban between two scrapes). */
  private endedInTime(d: DecisionRecord): boolean {
    const now = this.store.decisions.byValue(d.value).find((r) => r.id === d.id);
    return now === undefined || now.endedAt === null || now.endedAt >= d.until;
  }
}
