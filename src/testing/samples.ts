// Test support: turns a fixture capture into the two snapshots (1 s apart) the capture script recorded.
import { parseCounterPairs, pickWatched } from '../observe/counters.js';
import { parseNetDev } from '../observe/netdev.js';
import { parseSsListeners } from '../observe/listeners.js';
import { SocketTally } from '../observe/socket-tally.js';
import { TcpTableParser } from '../observe/tcp-table.js';
import { buildSnapshot, type PrefixLengths, type RawSample, type Snapshot } from '../detect/snapshot.js';
import { T0 } from './clock.js';
import { fixtureBytes, fixtureText } from './fixtures.js';

export { T0 };

/** `slotPorts`: ports with declared slots, whose held connections the tally counts (SocketTally.heldByPort). */
export function fixtureSample(capture: string, which: 0 | 1, overrides: Partial<RawSample> = {}, slotPorts: readonly number[] = []): RawSample {
  const tally = new SocketTally(undefined, undefined, slotPorts);
  const parser = new TcpTableParser(tally, true);
  for (const file of ['tcp', 'tcp6']) {
    const b = fixtureBytes(capture, file);
    parser.feed(b, b.length, true);
  }
  const counters = parseCounterPairs(fixtureText(capture, `netstat.${which}`) + fixtureText(capture, `snmp.${which}`));
  const sysctls = Object.fromEntries(
    fixtureText(capture, 'sysctls').trim().split('\n').map((l) => {
      const [k = '', v = ''] = l.split(' = ');
      return [k, Number(v)];
    }),
  );
  return {
    takenAt: T0 + which * 1000,
    tally,
    tableBadLines: parser.badLines,
    listeners: { ok: true, ...parseSsListeners(fixtureText(capture, 'ss-ltn')) },
    counters: pickWatched(counters.values),
    counterBadLines: counters.badLines,
    sysctls,
    links: parseNetDev(fixtureText(capture, `dev.${which}`)).links,
    ...overrides,
  };
}

export const DEFAULT_PREFIXES: PrefixLengths = { ipv4: 24, ipv6: 64 };

/** [previous, current] snapshots of a capture. */
export function fixtureSnapshots(capture: string, overrides: Partial<RawSample> = {}, prefixes = DEFAULT_PREFIXES, slotPorts: readonly number[] = []): [Snapshot, Snapshot] {
  return [buildSnapshot(fixtureSample(capture, 0, overrides, slotPorts), prefixes), buildSnapshot(fixtureSample(capture, 1, overrides, slotPorts), prefixes)];
}
