// Takes one sample of everything the kernel tells about SYN handling in this network namespace.
import { platform } from 'node:os';
import { SynguardError } from '../core/errors.js';
import type { RawSample } from './raw-sample.js';
import { readCounters } from './counters.js';
import { readListeners, type ListenerRead } from './listeners.js';
import { readNetDev } from './netdev.js';
import { readSocketTables } from './read-socket-table.js';
import { SocketTally } from './socket-tally.js';
import { readSysctls } from './sysctls.js';

export function assertLinux(): void {
  if (platform() !== 'linux') {
    throw new SynguardError('unsupported', `synguard reads the Linux kernel's /proc and needs Linux (this is ${platform()})`);
  }
}

/**
 * Reads a sample. A `light` sample skips the socket table and listeners: it serves only as the earlier
 * point of the counter rates, so a status costs one table read, not two.
 */
export async function takeSample(opts: { light?: boolean; now?: () => number; listeners?: () => Promise<ListenerRead>; sources?: number } = {}): Promise<RawSample> {
  const now = opts.now ?? Date.now;
  const tally = new SocketTally(opts.sources);
  const listeners = opts.light ? { ok: true as const, listeners: [], badLines: 0 } : await (opts.listeners ?? readListeners)();
  const table = opts.light ? { badLines: 0 } : readSocketTables(tally);
  const counters = readCounters();
  return {
    takenAt: now(),
    tally,
    tableBadLines: table.badLines,
    listeners,
    counters: counters.counters,
    counterBadLines: counters.badLines,
    sysctls: readSysctls(),
    links: readNetDev().links,
  };
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
