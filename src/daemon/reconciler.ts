// The kernel side of the defender: what it holds (`applied`), bringing it in line with the store's active decisions in
// one transaction per change, the proven clients spared inside new prefix bans, and the sockets of new bans killed.
// The store is the truth; a refused commit is retried at the next sync.
import type { Config } from '../config/schema.js';
import type { Log } from '../core/log.js';
import type { DecisionRecord, Store } from '../store/index.js';
import type { Enforcer } from '../enforce/types.js';
import { afterCommit, diffBans } from './sync.js';
import { adoptable } from './store-guard.js';

/** At most this many proven clients of one new prefix ban are spared. */
const SPARES_PER_PREFIX = 256;
/** How long to wait before asking a kernel that still held a ban to rest again. */
const REST_RETRY_MS = 60_000;

export interface ReconcilerDeps {
  readonly enforcer: Enforcer;
  readonly store: Store;
  readonly log: Log;
  /** Destroys the sockets of these sources (but not of the `except` peers); resolves with how many were killed. */
  readonly killSockets: ((values: readonly string[], except: readonly string[]) => Promise<number>) | null;
  readonly config: () => Config;
}

export class Reconciler {
  /** What the kernel holds: value → until (a route, which has no kernel expiry, holds until the store says). */
  private held = new Map<string, number>();
  /** The store revision the kernel was last brought in line with, and the earliest expiry among held bans. */
  private synced: { revision: string; nextExpiry: number } | null = null;
  /** New prefix bans whose proven clients are spared (defender.bans.spareProven), looked up at the next commit. */
  private spareIn: Array<{ prefix: string; until: number; except: readonly string[] }> = [];
  /** The enforcer rested (no ban rules in the kernel) since the last commit; and the earliest time to ask again. */
  private resting = false;
  private restAfter = 0;

  constructor(private readonly deps: ReconcilerDeps) {}

  /** What the kernel holds now, as far as this process applied or found it. */
  get applied(): ReadonlyMap<string, number> {
    return this.held;
  }

  /** Start-up: creates the kernel objects, then makes the kernel match the store (re-apply, remove stale state). */
  async start(t: number): Promise<void> {
    const { enforcer, log, store } = this.deps;
    await enforcer.init();
    this.resting = false; // init wrote the rules
    const kernel = await enforcer.list(t);
    this.held = new Map(kernel.map((k) => [k.value, k.until ?? Number.MAX_SAFE_INTEGER]));
    this.synced = null;
    // A store that cannot write at start-up (disk still full): the kernel's bans it lacks are adopted, not removed.
    if (store.health?.().writable === false) store.decisions.insertMany(adoptable(kernel, store.decisions.active(t), t));
    const active = store.decisions.active(t);
    const result = await this.sync(t, () => active);
    log('info', 'reconcile', { backend: enforcer.name, inStore: active.length, inKernel: kernel.length, added: result.added, removed: result.removed });
  }

  /**
   * When nothing this process applied can still be in the kernel and the store has no ban in force, the enforcer
   * takes out what every packet would cross for nothing (Enforcer.rest); once, until the next commit. A kernel that
   * still holds a ban (one this process did not apply) is asked again at most every REST_RETRY_MS.
   */
  async rest(t: number): Promise<void> {
    const { enforcer, log, store } = this.deps;
    if (!enforcer.rest || this.resting || t < this.restAfter) return;
    for (const until of this.held.values()) if (until > t) return;
    if (store.decisions.activeCount(t) > 0) return; // counted by SQLite: no rows read
    try {
      this.resting = await enforcer.rest(t);
      if (this.resting) log('info', 'ban-rules-rest', { note: 'no ban in force: the ban chain has no rules until the next ban' });
    } catch (err) {
      log('error', 'rest-failed', { error: (err as Error).message });
    }
    if (!this.resting) this.restAfter = t + REST_RETRY_MS;
  }

  /** The proven clients inside this new prefix ban are spared at the next commit. */
  spareWithin(prefix: string, until: number, except: readonly string[] = []): void {
    this.spareIn.push({ prefix, until, except });
  }

  /** Brings the kernel in line with the store: new bans, extended bans, unbans. Retried next time on failure. */
  async sync(t: number, active: () => DecisionRecord[] = () => this.deps.store.decisions.active(t)): Promise<{ added: number; removed: number }> {
    const { enforcer, log, killSockets, store } = this.deps;
    const kernelExpires = enforcer.kernelExpires;
    // Nothing written since the last sync and nothing due to expire by our hand: the diff is empty (cheap at 100k bans).
    const revision = store.decisions.revision();
    if (this.synced?.revision === revision && (kernelExpires || t < this.synced.nextExpiry)) return { added: 0, removed: 0 };
    const diff = diffBans(active(), this.held, t, kernelExpires);
    const done = () => {
      let nextExpiry = Infinity;
      for (const until of this.held.values()) if (until < nextExpiry) nextExpiry = until;
      this.synced = { revision, nextExpiry };
    };
    if (diff.add.length === 0 && diff.remove.length === 0) {
      done();
      return { added: 0, removed: 0 };
    }
    for (const b of diff.add) enforcer.add(b);
    for (const v of diff.remove) enforcer.delete(v);
    const spared = await this.spare();
    try {
      await enforcer.commit(t);
    } catch (err) {
      log('error', 'commit-failed', { error: (err as Error).message, add: diff.add.length, remove: diff.remove.length, retry: 'next tick' });
      return { added: 0, removed: 0 };
    }
    this.resting = false; // the commit wrote the rules back
    const fresh = diff.add.filter((b) => !this.held.has(b.value)).map((b) => b.value);
    this.held = afterCommit(this.held, diff, t);
    done();
    log('info', 'commit', { backend: enforcer.name, added: diff.add.length, removed: diff.remove.length });
    if (killSockets && this.deps.config().defender.killSockets && fresh.length > 0) {
      try {
        const killed = await killSockets(fresh, spared);
        if (killed > 0) log('info', 'sockets-killed', { count: killed, sources: fresh.slice(0, 20) });
      } catch (err) {
        log('error', 'socket-kill-failed', { error: (err as Error).message });
      }
    }
    return { added: diff.add.length, removed: diff.remove.length };
  }

  /** Buffers the spares of the new prefix bans: the proven clients inside them, from the kernel's record. */
  private async spare(): Promise<string[]> {
    const { enforcer, log } = this.deps;
    const pending = this.spareIn;
    this.spareIn = [];
    const spared: string[] = [];
    if (!enforcer.spare || !enforcer.provenWithin) return spared;
    for (const { prefix, until, except } of pending) {
      try {
        const proven = (await enforcer.provenWithin(prefix, SPARES_PER_PREFIX)).filter((a) => !except.includes(a));
        for (const address of proven) enforcer.spare(address, until); // kept by the backend if the commit fails
        spared.push(...proven);
        if (proven.length > 0) log('info', 'spared', { value: prefix, count: proven.length, sample: proven.slice(0, 10) });
      } catch (err) {
        log('error', 'spare-failed', { prefix, error: (err as Error).message });
      }
    }
    return spared;
  }
}
