// Peers of the established SSH sessions to this host (local port = an sshd port), read from /proc/net/tcp{,6}.
// They are allow-listed so that synguard never locks out the admin who is logged in.
import { formatV4, formatV6 } from '../core/address.js';
import { readSocketTables, PROC_TCP } from './read-socket-table.js';
import { STATE, type AddrKey, type RowSink } from './tcp-table.js';

/** A row sink keeping the remote address of every ESTABLISHED socket whose local port is one of `ports`. */
export class SshPeerSink implements RowSink {
  private readonly peers = new Set<AddrKey>();
  private readonly ports: ReadonlySet<number>;

  constructor(ports: Iterable<number>) {
    this.ports = new Set(ports);
  }

  row(_local: AddrKey, localPort: number, remote: AddrKey, _remotePort: number, state: number): void {
    if (state === STATE.ESTABLISHED && this.ports.has(localPort)) this.peers.add(remote);
  }

  /** The peers as canonical address text (IPv4-mapped peers are already IPv4). */
  addresses(): string[] {
    return [...this.peers].map((key) => (typeof key === 'number' ? formatV4(key) : formatV6(key)));
  }
}

/** Reads the socket tables and returns the SSH peers' addresses (async like the other allow-list readers). */
export function readSshPeers(ports: Iterable<number>, paths: readonly string[] = PROC_TCP): Promise<string[]> {
  try {
    const sink = new SshPeerSink(ports);
    readSocketTables(sink, paths);
    return Promise.resolve(sink.addresses());
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}
