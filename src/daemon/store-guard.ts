// The store guard: the daemon's store, which keeps the defence running when SQLite cannot write. "Stored before
// applied" stays the rule while the disk works; when a write fails (disk full, read-only file system, database locked
// or corrupt, file deleted), the write is held in memory (held-writes.ts), reads see it, the kernel gets the ban (its
// timeout bounds it), one log line says so, and every `retryMs` the held writes are replayed into the store in one
// transaction. Once they are in, one more line says so.
import { statSync } from 'node:fs';
import type { Decision } from '../core/decision.js';
import type { KernelBan } from '../enforce/types.js';
import { openStore, openStoreFrozen, type DecisionRecord, type Store, type StoreHealth, type StoredEvent } from '../store/index.js';
import type { AnnouncementRecord } from '../store/announcements.js';
import { isStoreFault } from '../store/faults.js';
import { HeldWrites } from './held-writes.js';
import { HeldAnnouncements } from './held-announcements.js';

export { isStoreFault };
import type { Log } from '../core/log.js';

export interface GuardOptions {
  readonly now: () => number;
  readonly log: Log;
  /** How often held writes are tried against the store again; 5 s by default. */
  readonly retryMs?: number;
  /** Why `base` is the read-only file (openStoreFrozen): retries reopen the store for writing. */
  readonly frozen?: unknown;
}

const message = (err: unknown): string => `${(err as { code?: string }).code ?? 'error'}: ${(err as Error).message}`;
const AUTO = new Set(['auto', 'kernel']);

/** Wraps `base`; `close()` tries the held writes one last time, then closes it. */
export function guardStore(opened0: Store, options: GuardOptions): Store {
  let base = opened0;
  const { now, log } = options;
  const retryMs = options.retryMs ?? 5000;
  const held = new HeldWrites();
  const heldAnnouncements = new HeldAnnouncements();
  let fault: { error: string; since: number } | null = null;
  let lastTry = 0;
  let recoveries = 0;
  let inTransaction = false;
  let lastActive: readonly DecisionRecord[] = [];
  const inode = (): number | null => { try { return statSync(base.path).ino; } catch { return null; } };
  let opened = inode();
  let reopen = options.frozen !== undefined;

  const degrade = (err: unknown): void => {
    lastTry = now();
    if (fault) { fault.error = message(err); return; }
    fault = { error: message(err), since: lastTry };
    log('error', 'store-unwritable', {
      error: fault.error, path: base.path, retryEverySeconds: retryMs / 1000,
      action: 'still defending: decisions are enforced in the kernel (bounded by its timeouts) and held in memory until the store can write',
    });
  };
  /** The state directory or database deleted under a running daemon: writes would land in an unlinked file. */
  const deleted = (): boolean => opened !== null && inode() !== opened;
  /**
   * The database file deleted (or the whole state directory): what the old connection still reads (bans in force,
   * open attacks, sysctl originals) is held for a fresh database, which retry() creates where the old one was.
   */
  let lost = false;
  const lostFile = (): void => {
    if (lost) return;
    lost = true;
    const t = now();
    try {
      for (const d of base.decisions.active(t)) held.adopt(d);
      for (const e of base.events.open()) held.adoptEvent(e);
      for (const [name, value] of base.sysctls.originals()) held.saveSysctl(name, value, t, false);
    } catch {
      // the old connection cannot read either: what is held already is all there is
    }
    degrade(Object.assign(new Error(`${base.path} was deleted or replaced under the running daemon`), { code: 'ENOENT' }));
  };
  const retry = (force = false): void => {
    if (inTransaction || (!force && now() - lastTry < retryMs)) return;
    lastTry = now();
    if (!fault) {
      if (deleted()) lostFile();
      return;
    }
    const since = fault.since;
    base.pragma?.('busy_timeout = 0'); // a locked database is tried again later, not waited for in the loop
    try {
      if (deleted()) lostFile(); // also when the disk was full first
      if (lost || reopen) {
        const fresh = openStore(base.dir);
        base.close();
        base = fresh;
        opened = inode();
        reopen = false;
        lost = false;
      }
      const written = held.writeThrough(base) + base.transaction(() => heldAnnouncements.writeThrough(base.announcements));
      fault = null;
      recoveries++;
      log('warn', 'store-writable', { written, heldForSeconds: Math.round((now() - since) / 1000) });
    } catch (err) {
      if (fault) fault.error = message(err);
    } finally {
      base.pragma?.('busy_timeout = 5000');
    }
  };
  /** A write: straight to the store while it works (a failure inside a transaction rolls the whole one back). */
  const write = <T>(direct: () => T, hold: () => T): T => {
    retry();
    if (fault) return hold();
    if (inTransaction) return direct();
    try {
      return direct();
    } catch (err) {
      if (!isStoreFault(err)) throw err;
      degrade(err);
      return hold();
    }
  };
  const read = <T>(direct: () => T, fallback: () => T): T => {
    try {
      return direct();
    } catch (err) {
      if (!isStoreFault(err)) throw err;
      degrade(err);
      return fallback();
    }
  };
  const active = (t: number, dryRun = false): DecisionRecord[] => {
    retry();
    if (dryRun) return held.merge(read(() => base.decisions.active(t, true), () => []), t, true);
    if (!fault && held.size === 0) {
      const rows = read(() => base.decisions.active(t), () => lastActive.filter((d) => d.until > t));
      if (!fault) { lastActive = rows; return rows; }
      return held.merge(rows, t);
    }
    return held.merge(read(() => base.decisions.active(t), () => lastActive.filter((d) => d.until > t)), t);
  };
  // A first write at start-up, so a disk that is still full is known before the reconcile (the reconciler adopts the
  // kernel's bans then). The WAL is truncated first: otherwise the write reuses its blocks and needs no new space.
  if (options.frozen !== undefined) degrade(options.frozen);
  else try {
    base.pragma?.('wal_checkpoint(TRUNCATE)');
    base.pragma?.(`user_version = ${base.migrated.to}`); // the version it has: a write that changes nothing
  } catch (err) {
    if (!isStoreFault(err)) throw err;
    degrade(err);
  }
  const heldDecisions = (): DecisionRecord[] => [...held.decisions.values()].reverse(); // newest first

  const decisions: Store['decisions'] = {
    insert: (d: Decision) => write(() => base.decisions.insert(d), () => held.insert(d)),
    insertMany: (ds) => write(() => base.decisions.insertMany(ds), () => ds.map((d) => held.insert(d))),
    revision: () => (retry(), fault || held.size > 0 ? `${read(() => base.decisions.revision(), () => 'unreadable')}:held${held.version}` : base.decisions.revision()),
    active,
    iterateActive: (t, dryRun = false) => active(t, dryRun).values(),
    findActive: (value, t) => active(t).filter((d) => d.value === value).sort((a, b) => b.until - a.until)[0],
    byValue: (value) => [...heldDecisions().filter((d) => d.value === value), ...read(() => base.decisions.byValue(value), () => [])],
    history: (o = {}) => {
      const rows = [...heldDecisions().filter((d) => d.createdAt >= (o.since ?? 0)), ...read(() => base.decisions.history(o), () => [])];
      return o.limit === undefined || o.limit < 0 ? rows : rows.slice(0, o.limit);
    },
    end: (id, request) => {
      const rid = held.real(id);
      return write(() => base.decisions.end(rid, request), () => held.end(rid, request, active(request.now).some((d) => d.id === rid)));
    },
    endValue: (value, request) => write(() => base.decisions.endValue(value, request), () => active(request.now).filter((d) => d.value === value)
      .filter((d) => held.end(d.id, request, true))
      .map((d) => ({ ...d, endedAt: request.now, endedBy: request.by, endKind: request.kind }))),
    extend: (id, until, t) => {
      const rid = held.real(id);
      return write(() => base.decisions.extend(rid, until, t), () => held.extend(rid, until, t, active(t).find((d) => d.id === rid)?.until));
    },
    offences: (values, t, windowMs, dryRun = false) => {
      const list = [...values];
      const counts = read(() => base.decisions.offences(list, t, windowMs, dryRun), () => new Map(list.map((v) => [v, 0])));
      for (const d of held.decisions.values()) {
        if (d.dryRun === dryRun && counts.has(d.value) && d.createdAt > t - windowMs && d.createdAt <= t && d.endKind !== 'unban') counts.set(d.value, (counts.get(d.value) ?? 0) + 1);
      }
      return counts;
    },
    activeCount: (t) => (fault || held.size > 0 ? active(t).length : base.decisions.activeCount(t)),
    activeAutoCount: (t, dryRun = false) => (fault || held.size > 0 ? active(t, dryRun).filter((d) => AUTO.has(d.origin)).length : base.decisions.activeAutoCount(t, dryRun)),
    purge: (before) => write(() => base.decisions.purge(before), () => 0),
    autoCreatedSince: (since, dryRun = false) => read(() => base.decisions.autoCreatedSince(since, dryRun), () => 0)
      + [...held.decisions.values()].filter((d) => d.dryRun === dryRun && AUTO.has(d.origin) && d.createdAt >= since).length,
  };

  const heldEvents = (): StoredEvent[] => [...held.events].reverse().map(([id, e]) => ({
    id, kind: e.kind, startedAt: e.now, summary: e.summary, detail: e.detail, endedAt: held.eventEnds.get(id)?.now ?? null,
  }));
  const events: Store['events'] = {
    start: (kind, summary, t, detail = {}) => write(() => base.events.start(kind, summary, t, detail), () => held.startEvent(kind, summary, t, detail)),
    end: (id, t, final = {}) => {
      const rid = held.real(id);
      if (held.events.has(rid)) return held.endEvent(rid, { now: t, final });
      return write(() => base.events.end(rid, t, final), () => held.endEvent(rid, { now: t, final }));
    },
    open: () => [...read(() => base.events.open(), () => []).filter((e) => !held.eventEnds.has(e.id)), ...heldEvents().filter((e) => e.endedAt === null)],
    list: (o = {}) => {
      const rows = [...heldEvents().filter((e) => e.startedAt >= (o.since ?? 0)), ...read(() => base.events.list(o), () => [])];
      return o.limit === undefined || o.limit < 0 ? rows : rows.slice(0, o.limit);
    },
  };

  const originals = (): Map<string, string> => held.originals(read(() => base.sysctls.originals(), () => new Map()));
  const sysctls: Store['sysctls'] = {
    saveOnce: (name, value, t) => write(() => base.sysctls.saveOnce(name, value, t), () => held.saveSysctl(name, value, t, originals().has(name))),
    originals,
    clear: (names) => write(() => base.sysctls.clear(names), () => held.clearSysctls(names)),
  };

  // Always through `base`, never a repo captured once: a deleted database is replaced by a fresh one (retry()).
  const storedOpen = (): AnnouncementRecord[] => read(() => base.announcements.open(), () => []);
  const announcements: Store['announcements'] = {
    add: (a) => write(() => base.announcements.add(a), () => heldAnnouncements.add(a)),
    open: () => (retry(), heldAnnouncements.view(storedOpen()).filter((r) => r.endedAt === null)),
    endedSince: (since) => heldAnnouncements.view([...read(() => base.announcements.endedSince(since), () => []), ...storedOpen()])
      .filter((r) => r.endedAt !== null && r.endedAt >= since),
    history: (o = {}) => {
      const rows = heldAnnouncements.view(read(() => base.announcements.history(o), () => []))
        .filter((r) => r.createdAt >= (o.since ?? 0)).sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
      return o.limit === undefined || o.limit < 0 ? rows : rows.slice(0, o.limit);
    },
    end: (id, t, by, kind) => (id < 0
      ? heldAnnouncements.end(id, { now: t, by, kind }, false)
      : write(() => base.announcements.end(id, t, by, kind), () => heldAnnouncements.end(id, { now: t, by, kind }, storedOpen().some((r) => r.id === id)))),
  };

  return {
    dir: base.dir,
    path: base.path,
    migrated: base.migrated,
    decisions,
    events,
    sysctls,
    announcements,
    transaction: <T>(fn: () => T): T => {
      retry();
      if (fault || inTransaction) return fn();
      inTransaction = true;
      try {
        return base.transaction(fn);
      } catch (err) {
        if (!isStoreFault(err)) throw err;
        inTransaction = false;
        degrade(err);
        return fn(); // rolled back in the store: the same writes are held instead
      } finally {
        inTransaction = false;
      }
    },
    health: (): StoreHealth => ({ writable: fault === null, error: fault?.error ?? null, since: fault?.since ?? null, held: held.size + heldAnnouncements.size, recoveries }),
    close: () => {
      retry(true);
      if (held.size + heldAnnouncements.size > 0) {
        log('error', 'store-held-lost', { held: held.size + heldAnnouncements.size, note: 'these writes never reached the store; the kernel keeps their bans until its timeouts' });
      }
      base.close();
    },
  };
}

/**
 * The daemon's store under stateDir, guarded. When it cannot be opened for writing (a full disk cannot hold the WAL's
 * -shm file; a read-only file system), the daemon starts on the database file read as it is, holds every write, and
 * reopens the store once it can. A directory with no database, or one that cannot be read, still fails (one line).
 */
export function openGuarded(stateDir: string, options: GuardOptions): Store {
  try {
    return guardStore(openStore(stateDir), options);
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    if (!isStoreFault(cause)) throw err;
    let frozen: Store;
    try {
      frozen = openStoreFrozen(stateDir);
    } catch {
      throw err;
    }
    return guardStore(frozen, { ...options, frozen: cause });
  }
}

/**
 * Start-up with a store that cannot write: the kernel's bans the store does not know (held in memory before a
 * restart) are adopted as held decisions, so the reconcile keeps them instead of removing them. Only bans the kernel
 * times out itself: each keeps its kernel expiry.
 */
export function adoptable(kernel: readonly KernelBan[], known: readonly Decision[], now: number): Decision[] {
  const have = new Set(known.map((d) => d.value));
  return kernel.filter((k) => k.until !== null && k.until > now && !have.has(k.value)).map((k) => ({
    scope: /\/(32|128)$/.test(k.value) ? 'ip' : 'prefix', value: k.value, action: 'ban', origin: 'kernel', createdAt: now,
    until: k.until ?? now, offence: 1, evidence: [], reason: 'found in the kernel at start-up while the store could not write',
  }));
}
