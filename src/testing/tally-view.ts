// Test support: a socket tally as plain, sorted data, to compare two reads of one table with deepEqual.
import { keyText as text } from '../detect/snapshot.js';
import type { SocketTally } from '../observe/socket-tally.js';
import { STATE } from '../observe/tcp-table.js';

/** States, sources with their counts by state, listeners and SYN queues. `timeWaitPerSource: false` zeroes TIME_WAIT per source. */
export function tallyView(tally: SocketTally, opts: { timeWaitPerSource?: boolean } = {}): object {
  const sources = tally.sources().map(([key, counts]) => {
    const c = [...counts];
    if (opts.timeWaitPerSource === false) c[STATE.TIME_WAIT] = 0;
    return [text(key), c.join(',')] as const;
  }).filter(([, c]) => /[1-9]/.test(c)).sort();
  const listening = tally.listening.map((l) => `${text(l.local)}:${l.port} ${l.acceptQueue}`).sort();
  const synRecv = [...tally.synRecvByPort].flatMap(([port, m]) => [...m].map(([local, n]) => `${text(local)}:${port} ${n}`)).sort();
  return { states: [...tally.states], sources, listening, synRecv };
}
