// Takes one sample of everything the kernel tells about SYN handling in this network namespace.
import { platform } from 'node:os';
import { SynguardError } from '../core/errors.js';
import type { RawSample } from './raw-sample.js';
import { readCounters } from './counters.js';
import { readListeners, type ListenerRead } from './listeners.js';
import { readNetDev } from './netdev.js';
import { cpuMeter } from './proc-stat.js';
import { readSocketTables, type TableReadResult } from './read-socket-table.js';
import { SocketTally } from './socket-tally.js';
import { readTimeWait } from './sockstat.js';
import { readSsTable } from './ss-table.js';
import { readSysctls } from './sysctls.js';
import type { RowSink } from './tcp-table.js';

export function assertLinux(): void {
  if (platform() !== 'linux') {
    throw new SynguardError('unsupported', `synguard reads the Linux kernel's /proc and needs Linux (this is ${platform()})`);
  }
}

/** The daemon's memory of its last socket-table walk (src/daemon/table-reuse.ts): a quiet tick reuses it. */
export interface TableMemory {
  reusable(counters: Readonly<Record<string, number>>, now: number, quiet: boolean): SocketTally | null;
  /** `costMs`: the CPU the walk cost this process and the children it ran (ss). */
  walked(tally: SocketTally, counters: Readonly<Record<string, number>>, now: number, costMs: number): void;
  /** Whether the next walk leaves these TIME_WAIT sockets out (counted, not walked), given the last walk's other rows. */
  skipTimeWait(timeWait: number): boolean;
}

/** The two ways to the table besides /proc: the kernel's TIME_WAIT count, and the table without them (ss-table.ts). */
export interface TimeWaitReaders {
  timeWait(): number | null;
  withoutTimeWait(sink: RowSink): Promise<TableReadResult | null>;
}

const KERNEL: TimeWaitReaders = { timeWait: () => readTimeWait(), withoutTimeWait: (sink) => readSsTable(sink) };

/**
 * Reads a sample. A `light` sample skips the socket table and listeners: it serves only as the earlier
 * point of the counter rates, so a status costs one table read, not two. With `table`, the counters are read first
 * and the last walk's tally is used again when they say no socket can have moved.
 */
export async function takeSample(opts: {
  light?: boolean; now?: () => number; listeners?: () => Promise<ListenerRead>; sources?: number; table?: TableMemory; quiet?: boolean; readers?: TimeWaitReaders;
  /** Local ports whose established peers the walk collects (the allow-list's SSH sessions: SocketTally.sshPeers). */
  sshPorts?: readonly number[];
} = {}): Promise<RawSample> {
  const now = opts.now ?? Date.now;
  // `ss` runs while this process reads /proc: the sample costs the longer of the two, not their sum
  const pending = opts.light ? { ok: true as const, listeners: [], badLines: 0 } : (opts.listeners ?? readListeners)();
  const counters = readCounters();
  const reused = opts.light ? null : (opts.table?.reusable(counters.counters, now(), opts.quiet ?? false) ?? null);
  const tally = reused ?? new SocketTally(opts.sources, opts.sshPorts);
  let tableBadLines = 0;
  if (!opts.light && !reused) {
    const table = opts.table;
    const cost = table ? cpuMeter() : null; // the table memory's budget: this thread's CPU and ss's
    tableBadLines = (await walkTable(tally, table, opts.readers ?? KERNEL)).badLines;
    if (table && cost) table.walked(tally, counters.counters, now(), cost());
  }
  const listeners = await pending;
  return {
    takenAt: now(),
    tally,
    tableBadLines,
    listeners,
    counters: counters.counters,
    counterBadLines: counters.badLines,
    sysctls: readSysctls(),
    links: readNetDev().links,
  };
}

/**
 * Walks the table into the tally: through /proc/net/tcp{,6}, or, when the table memory says TIME_WAIT sockets
 * outnumber the rest (a web server closing its connections), through inet_diag without them, their number taken from
 * the kernel's count. When ss is missing or fails, /proc as always.
 */
async function walkTable(tally: SocketTally, table: TableMemory | undefined, readers: TimeWaitReaders): Promise<TableReadResult> {
  const timeWait = table ? readers.timeWait() : null;
  if (table && timeWait !== null && table.skipTimeWait(timeWait)) {
    const read = await readers.withoutTimeWait(tally);
    if (read) {
      tally.countTimeWait(timeWait);
      return read;
    }
  }
  return readSocketTables(tally);
}

/**
 * Listener backlogs change rarely, and spawning `ss` is the costliest part of an idle tick: the daemon reads them at
 * most every `maxAgeMs`. (Each listener's SYN-queue fill comes from the socket table, read every tick.)
 */
export function cachedListeners(maxAgeMs: number, now: () => number = Date.now, read: () => Promise<ListenerRead> = readListeners): () => Promise<ListenerRead> {
  let last: { at: number; value: ListenerRead } | null = null;
  return async () => {
    if (last === null || now() - last.at >= maxAgeMs) last = { at: now(), value: await read() };
    return last.value;
  };
}
