// Counts socket rows as they stream out of the parser: by state, by remote source, and SYN_RECV by local endpoint.
import { STATE, TCP_STATES, type AddrKey, type RowSink } from './tcp-table.js';
import { Int32Index } from './int-index.js';
import { SshPeerSink } from './ssh-peers.js';

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
  readonly listening: ListenRow[] = [];
  private readonly synRecvMap = new Map<number, Map<AddrKey, number>>();
  private runPort = -1;
  private runLocal: AddrKey = 0;
  private runCount = 0;
  /** Remote address → its ordinal; its counts are pool[ordinal * STATE_SLOTS + code]. LISTEN rows and unconnected peers are not sources. */
  private readonly v4: Int32Index;
  private readonly v6 = new Map<string, number>();
  /** Per-source counts by state, STATE_SLOTS numbers a source, in one buffer: far lighter than an array each. */
  private pool: Uint32Array;
  /**
   * Source ordinal → its ESTABLISHED rows with unread bytes (rx_queue > 0): connections waiting on the server (still
   * in the accept queue, or not read yet), as opposed to the ones a worker has taken. Sparse: few sources have any.
   */
  private readonly unread = new Map<number, number>();
  /** ESTABLISHED connections seen in this read (source ordinal, local port, remote port), to skip rows printed twice. */
  private readonly connections = new Set<number>();

  /** The peers of established sessions to these local ports (the daemon's SSH ports), seen in the same walk. */
  private readonly ssh: SshPeerSink | null;
  /** Local port with declared slots → its ESTABLISHED connections with nothing unread (held by a worker). */
  private readonly held = new Map<number, number>();

  /**
   * `capacity`: sources expected. Growing costs copies while the JIT is still cold, so a one-shot read starts large;
   * the daemon passes the previous tick's count, so an idle tick allocates little. `sshPorts`: see sshPeers().
   * `slotPorts`: see heldByPort.
   */
  constructor(capacity = 1 << 16, sshPorts?: Iterable<number>, slotPorts: Iterable<number> = []) {
    this.v4 = new Int32Index(capacity);
    this.pool = new Uint32Array(STATE_SLOTS * capacity);
    this.ssh = sshPorts === undefined ? null : new SshPeerSink(sshPorts);
    for (const port of slotPorts) this.held.set(port, 0);
  }

  /** For each of the `slotPorts`: its ESTABLISHED connections that a worker has taken (nothing unread). */
  get heldByPort(): ReadonlyMap<number, number> {
    return this.held;
  }

  /** The SSH peers this walk saw; null when the tally was made without SSH ports. */
  sshPeers(): string[] | null {
    return this.ssh?.addresses() ?? null;
  }

  /** Local port → local address → SYN_RECV rows: the per-listener SYN queue. */
  get synRecvByPort(): ReadonlyMap<number, ReadonlyMap<AddrKey, number>> {
    this.flushRun();
    return this.synRecvMap;
  }

  private flushRun(): void {
    if (this.runCount === 0) return;
    let byAddr = this.synRecvMap.get(this.runPort);
    if (!byAddr) this.synRecvMap.set(this.runPort, (byAddr = new Map<AddrKey, number>()));
    byAddr.set(this.runLocal, (byAddr.get(this.runLocal) ?? 0) + this.runCount);
    this.runCount = 0;
  }

  get sourceCount(): number {
    return this.v4.size + this.v6.size;
  }

  /** Calls `fn` for each source; its counts by state code are counts[at + code]. Allocates nothing. */
  forEachSource(fn: (key: AddrKey, counts: Uint32Array, at: number, unread: number) => void): void {
    const pool = this.pool, unread = this.unread;
    this.v4.forEach((key, ordinal) => fn(key, pool, ordinal * STATE_SLOTS, unread.get(ordinal) ?? 0));
    for (const [key, ordinal] of this.v6) fn(key, pool, ordinal * STATE_SLOTS, unread.get(ordinal) ?? 0);
  }

  /** Each source with a copy of its counts by state code (for tests and small tables). */
  sources(): Array<[AddrKey, Uint32Array]> {
    const out: Array<[AddrKey, Uint32Array]> = [];
    this.forEachSource((key, counts, at) => out.push([key, counts.slice(at, at + STATE_SLOTS)]));
    return out;
  }

  /** TIME_WAIT sockets counted by the kernel (/proc/net/sockstat) instead of walked: in the state count, not per source. */
  countTimeWait(n: number): void {
    this.states[STATE.TIME_WAIT] = (this.states[STATE.TIME_WAIT] ?? 0) + n;
  }

  row(local: AddrKey, localPort: number, remote: AddrKey, remotePort: number, state: number, _tx: number, rx: number): void {
    const slot = state < STATE_SLOTS ? state : 0;
    if (slot === STATE.LISTEN) {
      this.states[slot] = (this.states[slot] ?? 0) + 1;
      this.listening.push({ local, port: localPort, acceptQueue: rx });
      return;
    }
    if (slot === STATE.SYN_RECV) {
      // In a flood nearly every row hits the same listener: count runs, and touch the maps once per run.
      if (localPort === this.runPort && local === this.runLocal) this.runCount++;
      else {
        this.flushRun();
        this.runPort = localPort;
        this.runLocal = local;
        this.runCount = 1;
      }
    }
    if (isUnspecified(remote)) {
      this.states[slot] = (this.states[slot] ?? 0) + 1;
      return;
    }
    const next = this.sourceCount;
    let ordinal: number;
    if (typeof remote === 'number') ordinal = this.v4.getOrAdd(remote, next);
    else {
      ordinal = this.v6.get(remote) ?? next;
      if (ordinal === next) this.v6.set(remote, next);
    }
    if (slot === STATE.ESTABLISHED) {
      this.ssh?.row(local, localPort, remote, remotePort, slot);
      // The kernel gives the table a page (/proc) or a buffer (the inet_diag dump) at a time and seeks back to where
      // it stopped; sockets coming and going meanwhile (thousands a second under Connection: close load) make it give
      // some rows twice: 50 established from an address holding 25 was seen in the lab. The same connection counts
      // once (the local address is left out of the key; two local addresses with the same port and the same peer
      // port are rare and cost one count).
      const key = ordinal * 0x1_0000_0000 + localPort * 0x1_0000 + remotePort;
      if (this.connections.has(key)) return;
      this.connections.add(key);
      if (rx === 0 && this.held.size > 0) {
        const n = this.held.get(localPort);
        if (n !== undefined) this.held.set(localPort, n + 1);
      }
    }
    this.states[slot] = (this.states[slot] ?? 0) + 1;
    const at = ordinal * STATE_SLOTS;
    if (at + STATE_SLOTS > this.pool.length) {
      const bigger = new Uint32Array(this.pool.length * 2);
      bigger.set(this.pool);
      this.pool = bigger;
    }
    this.pool[at + slot] = (this.pool[at + slot] ?? 0) + 1;
    if (slot === STATE.ESTABLISHED && rx > 0) this.unread.set(ordinal, (this.unread.get(ordinal) ?? 0) + 1);
  }
}
