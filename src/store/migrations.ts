// The versioned schema: an append-only list of migrations, applied in order and tracked in PRAGMA user_version.
import type Database from 'better-sqlite3';
import { SynguardError } from '../core/errors.js';

/** Migration N (1-based) brings the schema from version N−1 to N. Never edit a shipped one; append a new one. */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE decisions (
     id         INTEGER PRIMARY KEY,
     scope      TEXT    NOT NULL CHECK (scope IN ('ip', 'prefix')),
     value      TEXT    NOT NULL,
     action     TEXT    NOT NULL CHECK (action IN ('ban')),
     reason     TEXT    NOT NULL,
     evidence   TEXT    NOT NULL,            -- JSON array of strings
     origin     TEXT    NOT NULL CHECK (origin IN ('auto', 'manual')),
     created_at INTEGER NOT NULL,            -- ms since the epoch
     until      INTEGER NOT NULL,
     offence    INTEGER NOT NULL,
     ended_at   INTEGER,                     -- set when ended before until (unban, superseded)
     ended_by   TEXT,
     end_kind   TEXT CHECK (end_kind IN ('unban', 'superseded'))
   );
   CREATE INDEX decisions_live ON decisions (until) WHERE ended_at IS NULL;
   CREATE INDEX decisions_value ON decisions (value, created_at);
   CREATE INDEX decisions_auto ON decisions (origin, created_at);
   CREATE TABLE sysctl_originals (
     name     TEXT PRIMARY KEY,
     value    TEXT NOT NULL,
     saved_at INTEGER NOT NULL
   );
   CREATE TABLE events (
     id         INTEGER PRIMARY KEY,
     kind       TEXT    NOT NULL,
     started_at INTEGER NOT NULL,
     ended_at   INTEGER,
     summary    TEXT    NOT NULL,
     detail     TEXT    NOT NULL DEFAULT '{}'  -- JSON object
   );
   CREATE INDEX events_started ON events (started_at);`,
  // 2: upstream announcements (FlowSpec, RTBH): each one a decision record, ended by a withdrawal.
  `CREATE TABLE announcements (
     id              INTEGER PRIMARY KEY,
     kind            TEXT    NOT NULL CHECK (kind IN ('flowspec-rate-limit', 'flowspec-discard', 'rtbh')),
     prefix          TEXT    NOT NULL,        -- the attacked /32 or /128
     port            INTEGER,                 -- FlowSpec destination port (NULL: any)
     bytes_per_second INTEGER,                -- FlowSpec rate-limit only
     reason          TEXT    NOT NULL,
     evidence        TEXT    NOT NULL,        -- JSON array of strings
     origin          TEXT    NOT NULL CHECK (origin IN ('auto', 'manual')),
     created_at      INTEGER NOT NULL,        -- ms since the epoch
     until           INTEGER NOT NULL,
     ended_at        INTEGER,
     ended_by        TEXT,
     end_kind        TEXT CHECK (end_kind IN ('withdrawn', 'expired', 'superseded'))
   );
   CREATE INDEX announcements_live ON announcements (until) WHERE ended_at IS NULL;
   CREATE INDEX announcements_created ON announcements (created_at);`,
  // 3: decisions the kernel's SYN-rate meter made first (origin 'kernel'). SQLite cannot alter a CHECK: the table is
  // rebuilt with the same rows and ids, inside the migration's transaction.
  `CREATE TABLE decisions_v3 (
     id         INTEGER PRIMARY KEY,
     scope      TEXT    NOT NULL CHECK (scope IN ('ip', 'prefix')),
     value      TEXT    NOT NULL,
     action     TEXT    NOT NULL CHECK (action IN ('ban')),
     reason     TEXT    NOT NULL,
     evidence   TEXT    NOT NULL,
     origin     TEXT    NOT NULL CHECK (origin IN ('auto', 'manual', 'kernel')),
     created_at INTEGER NOT NULL,
     until      INTEGER NOT NULL,
     offence    INTEGER NOT NULL,
     ended_at   INTEGER,
     ended_by   TEXT,
     end_kind   TEXT CHECK (end_kind IN ('unban', 'superseded'))
   );
   INSERT INTO decisions_v3 SELECT * FROM decisions;
   DROP TABLE decisions;
   ALTER TABLE decisions_v3 RENAME TO decisions;
   CREATE INDEX decisions_live ON decisions (until) WHERE ended_at IS NULL;
   CREATE INDEX decisions_value ON decisions (value, created_at);
   CREATE INDEX decisions_auto ON decisions (origin, created_at);`,
  // 4: decisions a dry run made (dry_run = 1: stored for review, never enforced, never counted for caps or
  // escalation), and decisions pulled from a CrowdSec Local API (origin 'crowdsec'). The table is rebuilt again for
  // the CHECK, with the same rows and ids.
  `CREATE TABLE decisions_v4 (
     id         INTEGER PRIMARY KEY,
     scope      TEXT    NOT NULL CHECK (scope IN ('ip', 'prefix')),
     value      TEXT    NOT NULL,
     action     TEXT    NOT NULL CHECK (action IN ('ban')),
     reason     TEXT    NOT NULL,
     evidence   TEXT    NOT NULL,
     origin     TEXT    NOT NULL CHECK (origin IN ('auto', 'manual', 'kernel', 'crowdsec')),
     created_at INTEGER NOT NULL,
     until      INTEGER NOT NULL,
     offence    INTEGER NOT NULL,
     ended_at   INTEGER,
     ended_by   TEXT,
     end_kind   TEXT CHECK (end_kind IN ('unban', 'superseded')),
     dry_run    INTEGER NOT NULL DEFAULT 0 CHECK (dry_run IN (0, 1))
   );
   INSERT INTO decisions_v4 (id, scope, value, action, reason, evidence, origin, created_at, until, offence, ended_at,
                             ended_by, end_kind)
     SELECT id, scope, value, action, reason, evidence, origin, created_at, until, offence, ended_at, ended_by, end_kind
       FROM decisions;
   DROP TABLE decisions;
   ALTER TABLE decisions_v4 RENAME TO decisions;
   CREATE INDEX decisions_live ON decisions (until) WHERE ended_at IS NULL;
   CREATE INDEX decisions_value ON decisions (value, created_at);
   CREATE INDEX decisions_auto ON decisions (origin, created_at);`,
  // 5: the fleet (docs/fleet.md). fleet_push is the outbound queue to a CrowdSec Local API: one 'publish' and at most
  // one 'withdraw' per decision, kept until sent. fleet_pulled maps the LAPI's decision ids to the decisions stored
  // from them. bouncer_keys are the keys of bouncers served GET /v1/decisions/stream, hashed, each with its cursor.
  // fleet_state holds small named JSON values (the push scan's last decision id, the last pull and its error).
  `CREATE TABLE fleet_push (
     id          INTEGER PRIMARY KEY,
     decision_id INTEGER NOT NULL,
     kind        TEXT    NOT NULL CHECK (kind IN ('publish', 'withdraw')),
     state       TEXT    NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'dropped')),
     attempts    INTEGER NOT NULL DEFAULT 0,
     next_at     INTEGER NOT NULL DEFAULT 0,
     last_error  TEXT,
     alert_id    TEXT,                    -- publish: the LAPI's alert ids, comma-separated (one more per extension)
     until       INTEGER,                 -- publish: the end last published
     created_at  INTEGER NOT NULL,
     done_at     INTEGER,
     UNIQUE (decision_id, kind)
   );
   CREATE INDEX fleet_push_due ON fleet_push (state, next_at);
   CREATE TABLE fleet_pulled (
     lapi_id     INTEGER PRIMARY KEY,
     decision_id INTEGER NOT NULL,
     value       TEXT    NOT NULL
   );
   CREATE INDEX fleet_pulled_decision ON fleet_pulled (decision_id);
   CREATE TABLE bouncer_keys (
     name       TEXT    PRIMARY KEY,
     key_hash   TEXT    NOT NULL UNIQUE,
     created_at INTEGER NOT NULL,
     last_pull  INTEGER,
     last_id    INTEGER NOT NULL DEFAULT 0
   );
   CREATE TABLE fleet_state (
     name  TEXT PRIMARY KEY,
     value TEXT NOT NULL
   );`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Applies the missing migrations, each in its own transaction. Returns the versions before and after. */
export function migrate(db: Database.Database, migrations: readonly string[] = MIGRATIONS): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > migrations.length) {
    throw new SynguardError(
      'config',
      `${db.name} has schema version ${from}, newer than this synguard knows (${migrations.length}): upgrade synguard or use another --state-dir`,
    );
  }
  for (let version = from + 1; version <= migrations.length; version++) {
    const sql = migrations[version - 1] ?? '';
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version}`);
    })();
  }
  return { from, to: migrations.length };
}
