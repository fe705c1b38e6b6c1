// The dashboard's time series: one point per tick (sockets and SYN-cookie rates), kept for the last 15 minutes
// in a fixed ring. Pure: points come from two snapshots, the ring from the points given to it.
import { counterRates, rateOf } from '../../detect/rates.js';
import type { Snapshot } from '../../detect/snapshot.js';

export interface Point {
  /** ms since the epoch (the current snapshot's time). */
  readonly t: number;
  readonly synRecv: number;
  readonly established: number;
  /** SyncookiesSent / SyncookiesRecv per second; null without an earlier sample or after a counter reset. */
  readonly cookiesSent: number | null;
  readonly cookiesRecv: number | null;
  /** 1 while the daemon's tracker holds an attack open. */
  readonly attack: 0 | 1;
}

/** The columns uPlot draws (one array per series, the same length), oldest first. */
export interface Columns {
  readonly t: number[];
  readonly synRecv: number[];
  readonly established: number[];
  readonly cookiesSent: Array<number | null>;
  readonly cookiesRecv: Array<number | null>;
  readonly attack: number[];
}

export const WINDOW_MS = 15 * 60_000;

/** One point from the daemon's two latest snapshots; rates through src/detect/rates.ts. */
export function pointFrom(prev: Snapshot | undefined, cur: Snapshot, underAttack: boolean): Point {
  const rates = counterRates(prev, cur);
  const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
  return {
    t: cur.takenAt,
    synRecv: cur.halfOpen,
    established: cur.established,
    cookiesSent: round(rateOf(rates, 'SyncookiesSent')),
    cookiesRecv: round(rateOf(rates, 'SyncookiesRecv')),
    attack: underAttack ? 1 : 0,
  };
}

export interface RingOptions {
  /** How far back the ring reaches from its newest point (15 minutes). */
  readonly windowMs?: number;
  /** Points closer than this to the one before are dropped, so a fast loop (interval 0.1 s) stays ~1 Hz. */
  readonly minGapMs?: number;
}

/** A fixed-size ring of points: memory is bounded whatever the daemon's interval. */
export class SeriesRing {
  readonly windowMs: number;
  readonly minGapMs: number;
  private readonly slots: Array<Point | undefined>;
  private next = 0;
  private count = 0;

  constructor(options: RingOptions = {}) {
    this.windowMs = options.windowMs ?? WINDOW_MS;
    this.minGapMs = options.minGapMs ?? 900;
    this.slots = new Array<Point | undefined>(Math.ceil(this.windowMs / Math.max(this.minGapMs, 100)) + 1);
  }

  get size(): number {
    return this.count;
  }

  latest(): Point | undefined {
    return this.count === 0 ? undefined : this.slots[(this.next - 1 + this.slots.length) % this.slots.length];
  }

  /** Adds a point; false (and nothing kept) when it comes less than `minGapMs` after the newest one. A clock that
   *  went backwards starts the series afresh, so the columns stay in time order. */
  push(p: Point): boolean {
    const last = this.latest();
    if (last && p.t < last.t) this.clear();
    else if (last && p.t - last.t < this.minGapMs) return false;
    this.slots[this.next] = p;
    this.next = (this.next + 1) % this.slots.length;
    this.count = Math.min(this.count + 1, this.slots.length);
    return true;
  }

  clear(): void {
    this.slots.fill(undefined);
    this.next = 0;
    this.count = 0;
  }

  /** Points within the window that ends at the newest point, oldest first. */
  points(): Point[] {
    const out: Point[] = [];
    const newest = this.latest();
    if (!newest) return out;
    const from = newest.t - this.windowMs;
    for (let i = 0; i < this.count; i++) {
      const p = this.slots[(this.next - this.count + i + this.slots.length) % this.slots.length];
      if (p && p.t >= from) out.push(p);
    }
    return out;
  }

  columns(): Columns {
    return toColumns(this.points());
  }
}

export function toColumns(points: readonly Point[]): Columns {
  return {
    t: points.map((p) => p.t),
    synRecv: points.map((p) => p.synRecv),
    established: points.map((p) => p.established),
    cookiesSent: points.map((p) => p.cookiesSent),
    cookiesRecv: points.map((p) => p.cookiesRecv),
    attack: points.map((p) => p.attack),
  };
}
