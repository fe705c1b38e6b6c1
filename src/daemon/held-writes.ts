// The writes the store guard holds in memory while SQLite cannot write: new decisions (with temporary negative ids),
// ends and extensions of stored ones, attack events, sysctl originals. Reads merge them over the store's rows; once the
// store can write again, writeThrough() replays them in one transaction. Pure bookkeeping: no I/O of its own.
import type { Decision } from '../core/decision.js';
import type { DecisionRecord, EndRequest, Store, StoredEvent } from '../store/index.js';

type SysctlOp = { readonly save: { name: string; value: string; now: number } } | { readonly clear: readonly string[] | undefined };

interface HeldEvent { kind: string; summary: string; now: number; detail: Record<string, unknown> }
interface EventEnd { now: number; final: { summary?: string; detail?: Record<string, unknown> } }

export class HeldWrites {
  /** New decisions by temporary id (negative, in creation order). */
  readonly decisions = new Map<number, DecisionRecord>();
  /** Ends and extensions of stored decisions, by their id. */
  readonly ends = new Map<number, EndRequest>();
  readonly extensions = new Map<number, { until: number; now: number }>();
  readonly events = new Map<number, HeldEvent>();
  readonly eventEnds = new Map<number, EventEnd>();
  readonly sysctls: SysctlOp[] = [];
  /** Temporary id → the id the store gave it, kept after the write-through (callers may still hold a temporary id). */
  private readonly ids = new Map<number, number>();
  private nextId = -1;
  /** Bumped on every held write: part of the guarded store's revision. */
  version = 0;

  get size(): number {
    return this.decisions.size + this.ends.size + this.extensions.size + this.events.size + this.eventEnds.size + this.sysctls.length;
  }

  /** The store's id for an id a caller holds (a temporary one already written through, or a stored one). */
  real(id: number): number {
    return this.ids.get(id) ?? id;
  }

  insert(d: Decision): DecisionRecord {
    const record: DecisionRecord = { ...d, id: this.nextId--, endedAt: null, endedBy: null, endKind: null, dryRun: d.dryRun === true };
    this.decisions.set(record.id, record);
    this.version++;
    return record;
  }

  /** A stored decision in force, kept to be written again (its database file was lost); its id stays valid. */
  adopt(d: DecisionRecord): void {
    this.decisions.set(d.id, d);
    this.version++;
  }

  /** A stored open attack, kept like adopt(). */
  adoptEvent(e: StoredEvent): void {
    this.events.set(e.id, { kind: e.kind, summary: e.summary, now: e.startedAt, detail: { ...e.detail } });
    this.version++;
  }

  /** Ends a decision (held or stored) that `isActive` says is in force; false otherwise. */
  end(id: number, request: EndRequest, isActive: boolean): boolean {
    if (!isActive) return false;
    const held = this.decisions.get(id);
    if (held) this.decisions.set(id, { ...held, endedAt: request.now, endedBy: request.by, endKind: request.kind });
    else this.ends.set(id, request);
    this.version++;
    return true;
  }

  extend(id: number, until: number, now: number, current: number | undefined): boolean {
    if (current === undefined || current >= until) return false;
    const held = this.decisions.get(id);
    if (held) this.decisions.set(id, { ...held, until });
    else this.extensions.set(id, { until, now });
    this.version++;
    return true;
  }

  /** The stored rows with the held ends and extensions applied, then the held decisions; those in force at `now`. */
  merge(stored: readonly DecisionRecord[], now: number, dryRun = false): DecisionRecord[] {
    const out: DecisionRecord[] = [];
    for (const r of stored) {
      if (this.ends.has(r.id) || this.decisions.has(r.id)) continue; // adopted rows are held as they are
      const ext = this.extensions.get(r.id);
      const row = ext && ext.until > r.until ? { ...r, until: ext.until } : r;
      if (row.until > now) out.push(row);
    }
    for (const d of this.decisions.values()) if (d.endedAt === null && d.until > now && d.dryRun === dryRun) out.push(d);
    return out;
  }

  startEvent(kind: string, summary: string, now: number, detail: Record<string, unknown>): number {
    const id = this.nextId--;
    this.events.set(id, { kind, summary, now, detail });
    this.version++;
    return id;
  }

  endEvent(id: number, end: EventEnd): boolean {
    if (this.eventEnds.has(id)) return false;
    this.eventEnds.set(id, end);
    this.version++;
    return true;
  }

  saveSysctl(name: string, value: string, now: number, known: boolean): boolean {
    if (known) return false;
    this.sysctls.push({ save: { name, value, now } });
    this.version++;
    return true;
  }

  clearSysctls(names: readonly string[] | undefined): void {
    this.sysctls.push({ clear: names });
    this.version++;
  }

  /** The originals as the store has them with the held saves and clears applied in order. */
  originals(stored: ReadonlyMap<string, string>): Map<string, string> {
    const out = new Map(stored);
    for (const op of this.sysctls) {
      if ('save' in op) { if (!out.has(op.save.name)) out.set(op.save.name, op.save.value); } else if (op.clear === undefined) out.clear();
      else for (const n of op.clear) out.delete(n);
    }
    return out;
  }

  /** Replays everything into `store` in one transaction (all or nothing), then forgets it. Returns how many writes. */
  writeThrough(store: Store): number {
    const n = this.size;
    const ids = new Map<number, number>();
    store.transaction(() => {
      for (const d of this.decisions.values()) {
        const { id, endedAt, endedBy, endKind, ...decision } = d; // dryRun stays: insert() stores it
        const saved = store.decisions.insert(decision);
        ids.set(id, saved.id);
        if (endedAt !== null && endKind !== null) store.decisions.end(saved.id, { now: endedAt, by: endedBy ?? 'daemon', kind: endKind });
      }
      for (const [id, e] of this.extensions) store.decisions.extend(id, e.until, e.now);
      for (const [id, r] of this.ends) store.decisions.end(id, r);
      for (const [id, e] of this.events) ids.set(id, store.events.start(e.kind, e.summary, e.now, e.detail));
      for (const [id, e] of this.eventEnds) store.events.end(ids.get(id) ?? this.real(id), e.now, e.final);
      for (const op of this.sysctls) {
        if ('save' in op) store.sysctls.saveOnce(op.save.name, op.save.value, op.save.now);
        else store.sysctls.clear(op.clear);
      }
    });
    for (const [tmp, id] of ids) this.ids.set(tmp, id);
    this.decisions.clear();
    this.ends.clear();
    this.extensions.clear();
    this.events.clear();
    this.eventEnds.clear();
    this.sysctls.length = 0;
    this.version++;
    return n;
  }
}
