// Decisions pulled from a CrowdSec Local API: which LAPI decision id became which stored decision (origin 'crowdsec').
import type Database from 'better-sqlite3';

export interface Pulled {
  readonly lapiId: number;
  readonly decisionId: number;
  readonly value: string;
}

export class PulledRepo {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      add: db.prepare<[number, number, string]>('INSERT OR REPLACE INTO fleet_pulled (lapi_id, decision_id, value) VALUES (?, ?, ?)'),
      get: db.prepare<[number], { lapi_id: number; decision_id: number; value: string }>('SELECT * FROM fleet_pulled WHERE lapi_id = ?'),
      remove: db.prepare<[number]>('DELETE FROM fleet_pulled WHERE lapi_id = ?'),
      live: db.prepare<{ now: number }, { lapi_id: number; decision_id: number; value: string }>(`SELECT p.* FROM fleet_pulled p JOIN decisions d ON d.id = p.decision_id
              WHERE d.ended_at IS NULL AND d.until > @now`),
      forget: db.prepare<{ now: number }>(`DELETE FROM fleet_pulled WHERE decision_id NOT IN
              (SELECT id FROM decisions WHERE ended_at IS NULL AND until > @now)`),
    };
  }

  add(p: Pulled): void {
    this.s.add.run(p.lapiId, p.decisionId, p.value);
  }

  get(lapiId: number): Pulled | undefined {
    const r = this.s.get.get(lapiId);
    return r ? { lapiId: r.lapi_id, decisionId: r.decision_id, value: r.value } : undefined;
  }

  remove(lapiId: number): void {
    this.s.remove.run(lapiId);
  }

  /** Pulled decisions still in force at `now`. */
  live(now: number): Pulled[] {
    return this.s.live.all({ now }).map((r) => ({ lapiId: r.lapi_id, decisionId: r.decision_id, value: r.value }));
  }

  /** Forgets the mappings of decisions no longer in force. */
  forget(now: number): number {
    return this.s.forget.run({ now }).changes;
  }
}
