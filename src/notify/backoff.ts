// Exponential back-off between delivery attempts. Pure: the random source is passed in (tests pass a fixed one).

export interface Backoff {
  /** Delay before the first retry. */
  readonly baseMs: number;
  readonly factor: number;
  /** No delay is longer than this. */
  readonly maxMs: number;
  /** 0..1: each delay is shortened by up to this share, so many daemons do not retry in step. */
  readonly jitter: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 1000, factor: 2, maxMs: 300_000, jitter: 0.2 };

/** The wait before retry number `retry` (1 for the first retry): base × factor^(retry−1), capped, minus jitter. */
export function backoffDelay(retry: number, b: Backoff = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const raw = Math.min(b.maxMs, b.baseMs * b.factor ** Math.max(0, retry - 1));
  return Math.round(raw * (1 - b.jitter * random()));
}

/** Every wait of a delivery that fails `retries + 1` times (without jitter: the schedule documented). */
export function backoffSchedule(retries: number, b: Backoff = DEFAULT_BACKOFF): number[] {
  return Array.from({ length: retries }, (_, i) => backoffDelay(i + 1, b, () => 0));
}
