// Listeners whose backlog is far below what a flood needs: sysctls cannot fix those, only the application's
// listen() backlog can (somaxconn only caps it). Pure.
import type { ListenerStat } from './snapshot.js';

/** One line per listener whose SYN queue is full and whose backlog is below `wanted` (the hardened somaxconn). */
export function backlogAdvice(listeners: readonly ListenerStat[], wanted: number): string[] {
  return listeners
    .filter((l) => l.backlog !== null && l.backlog < wanted && l.synRecv >= l.backlog)
    .map((l) => {
      const at = l.address.includes(':') ? `[${l.address}]:${l.port}` : `${l.address}:${l.port}`;
      return `listener ${at}: SYN queue full at its backlog of ${l.backlog ?? 0}; raise the application's listen() backlog ` +
        `(e.g. nginx "listen ... backlog=${wanted}") — net.core.somaxconn only caps it`;
    });
}
