// Keys of the CrowdSec bouncers synguard serves (GET /v1/decisions/stream): stored as SHA-256 hashes, each with its
// own cursor (the last decision id it was sent and when it last pulled).
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';

export interface BouncerKey {
  readonly name: string;
  readonly createdAt: number;
  /** ms since the epoch; null before its first pull. */
  readonly lastPull: number | null;
  /** The highest decision id this bouncer has been sent. */
  readonly lastId: number;
}

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

interface Row { name: string; created_at: number; last_pull: number | null; last_id: number }
const fromRow = (r: Row): BouncerKey => ({ name: r.name, createdAt: r.created_at, lastPull: r.last_pull, lastId: r.last_id });

export class BouncerKeyRepo {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      add: db.prepare<[string, string, number]>('INSERT INTO bouncer_keys (name, key_hash, created_at) VALUES (?, ?, ?)'),
      list: db.prepare<[], Row>('SELECT name, created_at, last_pull, last_id FROM bouncer_keys ORDER BY name'),
      byHash: db.prepare<[string], Row>('SELECT name, created_at, last_pull, last_id FROM bouncer_keys WHERE key_hash = ?'),
      remove: db.prepare<[string]>('DELETE FROM bouncer_keys WHERE name = ?'),
      advance: db.prepare<[number, number, string]>('UPDATE bouncer_keys SET last_pull = ?, last_id = ? WHERE name = ?'),
    };
  }

  /** Stores a key's hash under NAME; false when the name or the key is taken. */
  add(name: string, key: string, now: number): boolean {
    try {
      this.s.add.run(name, hashKey(key), now);
      return true;
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return false;
      throw err;
    }
  }

  list(): BouncerKey[] {
    return this.s.list.all().map(fromRow);
  }

  /** The bouncer holding this key, if any. */
  find(key: string): BouncerKey | undefined {
    const r = this.s.byHash.get(hashKey(key));
    return r ? fromRow(r) : undefined;
  }

  remove(name: string): boolean {
    return this.s.remove.run(name).changes > 0;
  }

  /** Records a pull: when, and the highest decision id sent. */
  advance(name: string, at: number, lastId: number): void {
    this.s.advance.run(at, lastId, name);
  }
}
