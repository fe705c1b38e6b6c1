// Takes one sample of everything the kernel tells about SYN handling in this network namespace.
import { platform } from 'node:os';
import { SynguardError } from '../core/errors.js';
import type { RawSample } from './raw-sample.js';
import { readCounters } from './counters.js';
import { readListeners, type ListenerRead } from './listeners.js';
import { readNetDev } from './netdev.js';
import { readDiagTable } from './diag-table.js';
import { cpuMeter } from './proc-stat.js';
import { readSocketTables, type TableReadResult } from './read-socket-table.js';
import { SocketTally } from './socket-tally.js';
import { readTimeWait } from './sockstat.js';
import { readSysctls } from './sysctls.js';
import type { RowSink } from './tcp-table.js';

export function assertLinux(): void {
  if (platform() !== 'linux') {
    throw new SynguardError('unsupported', `synguard reads the Linux kernel's /proc and needs Linux (this is ${platform()})`);
  }
}

/** How a walk reads the table: /proc, the kernel's dump, or the dump without TIME_WAIT sockets (counted instead). */
export type TablePlan = 'proc' | 'dump' | 'dump-without-time-wait';

/**
 * The defender's word on how much a tick needs a fresh walk of the socket table (Defender.tableWord): `quiet`,
 * nothing to look closer at; `steady-flood`, a flood that SYN cookies carry and nobody to ban; null, walk.
 */
export type TableWord = 'quiet' | 'steady-flood' | null;

/** The daemon's memory of its last socket-table walk (src/daemon/table-reuse.ts): a quiet or steady tick reuses it. */
export interface TableMemory {
  reusable(counters: Readonly<Record<string, number>>, now: number, word: TableWord): SocketTally | null;
  /** `costMs`: the CPU the walk cost this process and the children it ran (ss). */
  walked(tally: SocketTally, counters: Readonly<Record<string, number>>, now: number, costMs: number): void;
  /** How the next walk reads the table, given the kernel's TIME_WAIT count (TableReuse.plan). */
  plan(timeWait: number | null): TablePlan;
}

/** The kernel's TIME_WAIT count, and its socket dump through inet_diag (diag-table.ts), with TIME_WAIT or without. */
export interface TableReaders {
  timeWait(): number | null;
  diag(sink: RowSink, excludeTimeWait: boolean): Promise<TableReadResult | null>;
}

const KERNEL: TableReaders = { timeWait: () => readTimeWait(), diag: (sink, excludeTimeWait) => readDiagTable(sink, { excludeTimeWait }) };

/**
 * Reads a sample. A `light` sample skips the socket table and listeners: it serves only as the earlier
 * point of the counter rates, so a status costs one table read, not two. With `table`, the counters are read first
 * and the last walk's tally is used again when they say no socket can have moved.
 */
export async function takeSample(opts: {
  light?: boolean; now?: () => number; listeners?: () => Promise<ListenerRead>; sources?: number; table?: TableMemory; word?: TableWord; readers?: TableReaders;
  /** Local ports whose established peers the walk collects (the allow-list's SSH sessions: SocketTally.sshPeers). */
  sshPorts?: readonly number[];
  /** Local ports with declared slots, whose held connections the walk counts (SocketTally.heldByPort). */
  slotPorts?: readonly number[];
} = {}): Promise<RawSample> {
  const now = opts.now ?? Date.now;
  // the listeners' `ss` runs while the table is walked: the sample costs the longer of the two, not their sum
  const pending = opts.light ? { ok: true as const, listeners: [], badLines: 0 } : (opts.listeners ?? readListeners)();
  const counters = readCounters();
  const reused = opts.light ? null : (opts.table?.reusable(counters.counters, now(), opts.word ?? null) ?? null);
  const fresh = () => new SocketTally(opts.sources, opts.sshPorts, opts.slotPorts);
  let tally = reused ?? (opts.light ? fresh() : null);
  let tableBadLines = 0;
  if (tally === null) {
    const table = opts.table;
    const cost = table ? cpuMeter() : null; // the table memory's budget: this thread's CPU and ss's
    const walk = await walkTable(fresh, table, opts.readers ?? KERNEL);
    tally = walk.tally;
    tableBadLines = walk.read.badLines;
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
 * Walks the table into a fresh tally, as the table memory plans it: through /proc/net/tcp{,6}, or the kernel's binary
 * dump (diag-table.ts), or the dump without TIME_WAIT sockets, their number then the kernel's count. Without a table
 * memory (`status`), the dump: the table's size is unknown, and the dump bounds the worst case. When ss is missing or
 * fails, /proc, into another fresh tally: rows the dump gave before it failed are not counted twice.
 */
async function walkTable(fresh: () => SocketTally, table: TableMemory | undefined, readers: TableReaders): Promise<{ tally: SocketTally; read: TableReadResult }> {
  const timeWait = table ? readers.timeWait() : null;
  const plan = table ? table.plan(timeWait) : 'dump';
  if (plan !== 'proc') {
    const tally = fresh();
    const read = await readers.diag(tally, plan === 'dump-without-time-wait');
    if (read) {
      if (plan === 'dump-without-time-wait') tally.countTimeWait(timeWait ?? 0);
      return { tally, read };
    }
  }
  const proc = fresh();
  return { tally: proc, read: readSocketTables(proc) };
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
