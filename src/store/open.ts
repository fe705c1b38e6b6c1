// Opens (and creates) the state directory and its SQLite database: WAL, migrated, with the repositories on top.
import { accessSync, chmodSync, constants, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { SynguardError } from '../core/errors.js';
import { AnnouncementRepo } from './announcements.js';
import { DecisionRepo } from './decisions.js';
import { EventRepo } from './events.js';
import { isStoreFault } from './faults.js';
import { migrate, MIGRATIONS } from './migrations.js';
import { SysctlRepo } from './sysctls.js';

export const DB_FILE = 'synguard.db';

/** A repository's public face (its methods), so a wrapper such as the daemon's store guard can stand in for it. */
export type Api<T> = { [K in keyof T]: T[K] };

/** Whether the store writes to disk now, or holds writes in memory until it can (src/daemon/store-guard.ts). */
export interface StoreHealth {
  /** False while writes fail (disk full, read-only, locked, corrupt, deleted) and are held in memory. */
  readonly writable: boolean;
  /** Why the last write failed; null while writable. */
  readonly error: string | null;
  /** Since when writes are held (ms epoch); null while writable. */
  readonly since: number | null;
  /** Writes held in memory, not yet on disk. */
  readonly held: number;
  /** Times held writes reached the disk after a failure (since start). */
  readonly recoveries: number;
}

export interface Store {
  readonly dir: string;
  readonly path: string;
  /** Schema version before this open (0 for a new database) and after. */
  readonly migrated: { readonly from: number; readonly to: number };
  readonly decisions: Api<DecisionRepo>;
  readonly sysctls: Api<SysctlRepo>;
  readonly events: Api<EventRepo>;
  /** Upstream FlowSpec/RTBH announcements (migration 2). */
  readonly announcements: Api<AnnouncementRepo>;
  /** Runs fn in one transaction: all of its writes or none. */
  transaction<T>(fn: () => T): T;
  /**
   * Runs a PRAGMA on the connection: the store guard lowers busy_timeout while it retries held writes; tests set
   * max_page_count or query_only to make SQLite refuse writes for real.
   */
  pragma?(text: string): unknown;
  /** Present on a guarded store (the daemon's): whether writes reach the disk. */
  health?(): StoreHealth;
  close(): void;
}

const errno = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | undefined)?.code;

function unusable(dir: string, err: unknown): SynguardError {
  const code = errno(err);
  const why = (err as Error).message;
  if (code === 'ENOTDIR' || code === 'EEXIST') {
    return new SynguardError('config', `state directory ${dir} cannot be used: a path component is not a directory (--state-dir or defender.stateDir)`, { cause: err });
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || /readonly|read-only|unable to open|SQLITE_CANTOPEN|SQLITE_READONLY/i.test(`${code ?? ''} ${why}`)) {
    return new SynguardError('permission', `state directory ${dir} is not writable (${code ?? why}): run as root or choose another --state-dir`, { cause: err });
  }
  return new SynguardError('config', `state directory ${dir} cannot be used: ${why}`, { cause: err });
}

/**
 * Files of the state directory that others than their owner may read or enter (group or other bits set): the
 * directory, the database and its WAL files, the API token. Not changed here (a state directory pointed at a shared
 * place must not be chmod-ed behind the admin's back); the daemon logs each at start-up.
 */
export function looseModes(stateDir: string): string[] {
  const out: string[] = [];
  const dir = resolve(stateDir);
  for (const path of [dir, ...[DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`, 'api-token'].map((f) => join(dir, f))]) {
    try {
      const mode = statSync(path).mode & 0o777;
      if ((mode & 0o077) !== 0) out.push(`${path} is mode ${mode.toString(8).padStart(4, '0')}: others than its owner can ${path === dir ? 'enter it' : 'read it'} (chmod go= ${path})`);
    } catch {
      // absent: nothing to check
    }
  }
  return out;
}

/**
 * mkdir -p, one level at a time. Node's recursive mkdir never returns on a path under /proc (each mkdir answers
 * ENOENT while the parent exists), so an admin's mistyped --state-dir would hang the command.
 */
function makeDirs(dir: string): void {
  if (existsSync(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) makeDirs(parent);
  mkdirSync(dir, { mode: 0o700 });
}

/** Creates the directory (mode 0700) if needed and checks that it is a writable directory. */
function prepareDir(dir: string): void {
  try {
    makeDirs(dir);
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error(`${dir} is not a directory`), { code: 'ENOTDIR' });
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (err) {
    throw unusable(dir, err);
  }
}

/**
 * The store under stateDir when its database exists, else null: for read-only commands, which must create nothing.
 * A database this user cannot see (a 0700 directory, not root) is not "absent": openStore's permission error says so.
 */
export function openStoreIfPresent(stateDir: string): Store | null {
  try {
    statSync(join(resolve(stateDir), DB_FILE));
  } catch (err) {
    if (errno(err) === 'ENOENT' || errno(err) === 'ENOTDIR') return null;
  }
  try {
    return openStore(stateDir);
  } catch (err) {
    // A full or read-only disk: the file as it is on disk still answers a read command.
    if (!isStoreFault((err as { cause?: unknown }).cause)) throw err;
    return openStoreFrozen(stateDir);
  }
}

/** Opens the store under stateDir, creating and migrating it as needed. Fails with 'permission' or 'config' errors. */
export function openStore(stateDir: string, migrations: readonly string[] = MIGRATIONS): Store {
  const dir = resolve(stateDir);
  prepareDir(dir);
  const path = join(dir, DB_FILE);
  let db: Database.Database | undefined;
  try {
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000'); // the CLI and the daemon share the file
  } catch (err) {
    db?.close();
    throw unusable(dir, err);
  }
  let migrated: { from: number; to: number };
  try {
    migrated = migrate(db, migrations);
    for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
  } catch (err) {
    db.close();
    throw err instanceof SynguardError ? err : unusable(dir, err);
  }
  return storeOn(db, dir, path, migrated);
}

/**
 * A copy in memory of the database file as it is on disk: what the daemon starts on when the store cannot be opened
 * for writing (a full disk cannot even hold the WAL's -shm file). Writes made since the last checkpoint (still in the
 * -wal file) are not seen. Throws when the file cannot be read.
 */
export function openStoreFrozen(stateDir: string): Store {
  const dir = resolve(stateDir);
  const path = join(dir, DB_FILE);
  const image = readFileSync(path);
  // Bytes 18 and 19 of the header say WAL (2); a copy in memory has no WAL, so it is read as a rollback-journal file.
  if (image.length >= 100) image.fill(1, 18, 20);
  const db = new Database(image);
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    return storeOn(db, dir, path, { from: version, to: version });
  } catch (err) {
    db.close();
    throw err;
  }
}

function storeOn(db: Database.Database, dir: string, path: string, migrated: { from: number; to: number }): Store {
  return {
    dir,
    path,
    migrated,
    decisions: new DecisionRepo(db),
    sysctls: new SysctlRepo(db),
    events: new EventRepo(db),
    announcements: new AnnouncementRepo(db),
    transaction: <T>(fn: () => T): T => db.transaction(fn)(),
    pragma: (text) => db.pragma(text, { simple: true }),
    close: () => db.close(),
  };
}
