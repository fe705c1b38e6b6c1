// One sample as the readers produced it: the socket table's tally, listeners, counters, sysctls and links.
import type { SocketTally } from './socket-tally.js';
import type { ListenSocket } from './listeners.js';
import type { LinkCounters } from './netdev.js';

/** What the readers produced for one sample; this is the input to buildSnapshot. */
export interface RawSample {
  readonly takenAt: number; // ms since the epoch
  readonly tally: SocketTally;
  readonly tableBadLines: number;
  readonly listeners: { ok: true; listeners: readonly ListenSocket[]; badLines: number } | { ok: false; error: string };
  readonly counters: Readonly<Record<string, number>>;
  readonly counterBadLines: number;
  readonly sysctls: Readonly<Record<string, number | null>>;
  readonly links: Readonly<Record<string, LinkCounters>>;
}
