// Counts socket rows as they stream out of the parser: by state, by remote source, and SYN_RECV by local endpoint.
import { STATE, TCP_STATES, type AddrKey, type RowSink } from './tcp-table.js';

export const STATE_SLOTS = TCP_STATES.length;

export interface ListenRow {
  readonly local: AddrKey;
  readonly port: number;
  /** For a LISTEN socket the kernel prints the accept-queue length as rx_queue. */
  readonly acceptQueue: number;
}

function isUnspecified(key: AddrKey): boolean {
  return key === 0 || key === '00000000000000000000000000000000';
}

export class SocketTally implements RowSink {
  /** Rows per state code (index 0 collects codes the kernel should never print). */
  readonly states = new Uint32Array(STATE_SLOTS);
  /** Remote address → rows per state code. LISTEN rows and unconnected peers are not sources. */
  readonly sources = new Map<AddrKey, Uint32Array>();
  readonly listening: ListenRow[] = [];
  /** Local port → local address → SYN_RECV rows: the per-listener SYN queue. */
  readonly synRecvByPort = new Map<number, Map<AddrKey, number>>();

  row(local: AddrKey, localPort: number, remote: AddrKey, _remotePort: number, state: number, _tx: number, rx: number): void {
    const slot = state < STATE_SLOTS ? state : 0;
    this.states[slot] = (this.states[slot] ?? 0) + 1;
    if (slot === STATE.LISTEN) {
      this.listening.push({ local, port: localPort, acceptQueue: rx });
      return;
    }
    if (slot === STATE.SYN_RECV) {
      let byAddr = this.synRecvByPort.get(localPort);
      if (!byAddr) this.synRecvByPort.set(localPort, (byAddr = new Map<AddrKey, number>()));
      byAddr.set(local, (byAddr.get(local) ?? 0) + 1);
    }
    if (isUnspecified(remote)) return;
    let counts = this.sources.get(remote);
    if (!counts) this.sources.set(remote, (counts = new Uint32Array(STATE_SLOTS)));
    counts[slot] = (counts[slot] ?? 0) + 1;
  }
}
