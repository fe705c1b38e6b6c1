// Sysctl originals: saved once before synguard first changes a value, read back to restore, cleared once restored.
import type Database from 'better-sqlite3';

export class SysctlRepo {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      save: db.prepare('INSERT OR IGNORE INTO sysctl_originals (name, value, saved_at) VALUES (@name, @value, @now)'),
      all: db.prepare<[], { name: string; value: string }>('SELECT name, value FROM sysctl_originals ORDER BY name'),
      clear: db.prepare<[string]>('DELETE FROM sysctl_originals WHERE name = ?'),
      clearAll: db.prepare('DELETE FROM sysctl_originals'),
    };
  }

  /** Records the original value unless one is already recorded (a second change must not overwrite it). True if saved. */
  saveOnce(name: string, value: string, now: number): boolean {
    return this.s.save.run({ name, value, now }).changes > 0;
  }

  /** The recorded originals, by sysctl name (e.g. `net.ipv4.tcp_synack_retries`). */
  originals(): Map<string, string> {
    return new Map(this.s.all.all().map((r) => [r.name, r.value]));
  }

  /** Forgets the originals once they are restored: all of them, or the names given. */
  clear(names?: readonly string[]): void {
    if (names === undefined) this.s.clearAll.run();
    else for (const name of names) this.s.clear.run(name);
  }
}
