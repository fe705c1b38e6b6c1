// The fleet's own connection to the state database (WAL, shared with the daemon and the CLI): the push queue, the
// pulled decisions, the bouncer keys and the fleet's named state, with a DecisionRepo on the same connection so that
// the daemon's connection sees the fleet's writes as commits by another (its decisions cache then refreshes).
import Database from 'better-sqlite3';
import { BouncerKeyRepo } from './bouncer-keys.js';
import { DecisionRepo, type DecisionRecord } from './decisions.js';
import { PulledRepo } from './fleet-pulled.js';
import { DecisionStreamRepo } from './decision-stream.js';
import { PushQueueRepo } from './push-queue.js';
import { openStore } from './open.js';

export interface FleetDb {
  readonly db: Database.Database;
  readonly decisions: DecisionRepo;
  readonly queue: PushQueueRepo;
  readonly pulled: PulledRepo;
  readonly keys: BouncerKeyRepo;
  readonly stream: DecisionStreamRepo;
  /** One decision by id, ended or not. */
  decisionById(id: number): DecisionRecord | undefined;
  /** A small named JSON value (fleet_state). */
  getState<T>(name: string): T | undefined;
  setState(name: string, value: unknown): void;
  transaction<T>(fn: () => T): T;
  close(): void;
}

/** Opens (creating and migrating through openStore first) the database under stateDir on a connection of its own. */
export function openFleetDb(stateDir: string): FleetDb {
  const store = openStore(stateDir);
  const path = store.path;
  store.close();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  const get = db.prepare<[string], { value: string }>('SELECT value FROM fleet_state WHERE name = ?');
  const set = db.prepare<[string, string]>('INSERT INTO fleet_state (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value');
  const byId = db.prepare<[number], { value: string }>('SELECT value FROM decisions WHERE id = ?');
  const decisions = new DecisionRepo(db);
  return {
    db,
    decisionById(id) {
      const row = byId.get(id);
      return row ? decisions.byValue(row.value).find((d) => d.id === id) : undefined;
    },
    decisions,
    queue: new PushQueueRepo(db),
    pulled: new PulledRepo(db),
    keys: new BouncerKeyRepo(db),
    stream: new DecisionStreamRepo(db),
    getState<T>(name: string): T | undefined {
      const row = get.get(name);
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    setState(name, value) {
      set.run(name, JSON.stringify(value));
    },
    transaction: (fn) => db.transaction(fn)(),
    close: () => db.close(),
  };
}
