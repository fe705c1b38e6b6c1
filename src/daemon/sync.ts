// What the kernel should hold versus what the daemon has applied: the diff one commit must carry. Pure.
import type { Ban, Decision } from '../core/decision.js';

/** Value → until (ms epoch) of the bans the daemon believes the kernel holds. */
export type Applied = ReadonlyMap<string, number>;

export interface BanDiff {
  readonly add: Ban[];
  readonly remove: string[];
}

const familyOf = (value: string): 4 | 6 => (value.includes(':') ? 6 : 4);
/** Kernel timeouts count whole seconds: an expiry this close to the store's is the same ban, not one to extend. */
const SLACK_MS = 2000;

/**
 * Bans to add (new in the store, or extended) and values to remove (ended in the store, e.g. an unban, or expired
 * where the kernel keeps no expiry). `kernelExpires` tells whether the backend's kernel objects time out by themselves.
 */
export function diffBans(active: readonly Decision[], applied: Applied, now: number, kernelExpires: boolean): BanDiff {
  const want = new Map<string, number>();
  for (const d of active) if (d.until > now) want.set(d.value, Math.max(want.get(d.value) ?? 0, d.until));
  const add: Ban[] = [];
  for (const [value, until] of want) {
    const have = applied.get(value);
    if (have === undefined || have < until - SLACK_MS) add.push({ value, family: familyOf(value), until });
  }
  const remove: string[] = [];
  for (const [value, until] of applied) {
    if (want.has(value)) continue;
    // Expired in a kernel that times out by itself: it is gone already; deleting it would fail the batch.
    if (kernelExpires && until <= now) continue;
    remove.push(value);
  }
  return { add, remove };
}

/** The applied map after a successful commit of `diff`, with entries that expired by themselves dropped. */
export function afterCommit(applied: Applied, diff: BanDiff, now: number): Map<string, number> {
  const next = new Map(applied);
  for (const v of diff.remove) next.delete(v);
  for (const b of diff.add) next.set(b.value, b.until);
  for (const [v, until] of next) if (until <= now) next.delete(v);
  return next;
}
