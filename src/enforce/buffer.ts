// The changes an enforcer has been handed since its last commit: validated on entry, the last word per value wins.
import { cidrText, parseCidr, type Cidr } from '../core/address.js';
import type { Ban } from '../core/decision.js';

/** One buffered change: a ban to apply (until set) or an unban (until null). */
export interface Change {
  readonly cidr: Cidr;
  readonly value: string;
  readonly until: number | null;
}

export class ChangeBuffer {
  private pending = new Map<string, Change>();

  /** Buffers a ban; the value is parsed (throws an input error on bad text) and canonicalised. */
  add(ban: Ban): void {
    const cidr = parseCidr(ban.value);
    const value = cidrText(cidr);
    this.pending.set(value, { cidr, value, until: ban.until });
  }

  delete(text: string): void {
    const cidr = parseCidr(text);
    const value = cidrText(cidr);
    this.pending.set(value, { cidr, value, until: null });
  }

  get size(): number {
    return this.pending.size;
  }

  /** Takes every buffered change out; hand them back with restore() if applying them failed. */
  take(): Change[] {
    const taken = [...this.pending.values()];
    this.pending = new Map();
    return taken;
  }

  /** Puts changes back after a failed commit, unless a newer change for the same value arrived meanwhile. */
  restore(changes: readonly Change[]): void {
    const newer = this.pending;
    this.pending = new Map(changes.map((c) => [c.value, c]));
    for (const [value, change] of newer) this.pending.set(value, change);
  }

  clear(): void {
    this.pending.clear();
  }
}

/** Host bans (/32, /128) versus prefix bans; they live in different kernel sets. */
export function isHost(cidr: Cidr): boolean {
  return cidr.length === (cidr.family === 4 ? 32 : 128);
}
