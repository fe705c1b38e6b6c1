// The socket table without TIME_WAIT, from inet_diag via `ss -tanH exclude time-wait`: the kernel skips each
// TIME_WAIT socket before formatting it, where /proc/net/tcp{,6} formats every one. A busy web server that closes its
// connections holds tens of thousands of them, and no detector reads them; their number comes from
// /proc/net/sockstat instead (sockstat.ts). Rows go to the same sinks as the /proc parser's, with the same keys.
import ipaddr from 'ipaddr.js';
import { exec, type Exec } from '../core/exec.js';
import { STATE, type AddrKey, type RowSink } from './tcp-table.js';
import type { TableReadResult } from './read-socket-table.js';

/** ss's state names → the kernel's state codes, as /proc/net/tcp prints them (UNCONN is CLOSE). */
const STATE_CODES: ReadonlyMap<string, number> = new Map([
  ['ESTAB', 1], ['SYN-SENT', 2], ['SYN-RECV', 3], ['FIN-WAIT-1', 4], ['FIN-WAIT-2', 5], ['TIME-WAIT', 6],
  ['UNCONN', 7], ['CLOSE-WAIT', 8], ['LAST-ACK', 9], ['LISTEN', 10], ['CLOSING', 11],
]);

const V6_ANY = '0'.repeat(32);

/** An address as ss prints it (`198.18.0.1`, `[2001:db8::1]`, `[::ffff:198.18.0.1]`, `*`, with a `%dev` scope or not) as an AddrKey. */
function addrKey(text: string): AddrKey | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const host = bare.replace(/%.*$/, '');
  if (host === '*') return V6_ANY; // a dual-stack socket bound to no address: an IPv6 socket in /proc/net/tcp6
  if (ipaddr.IPv4.isValidFourPartDecimal(host)) {
    const [a = 0, b = 0, c = 0, d = 0] = ipaddr.IPv4.parse(host).octets;
    return (a << 24) | (b << 16) | (c << 8) | d;
  }
  if (!host.includes(':') || !ipaddr.IPv6.isValid(host)) return null;
  const v6 = ipaddr.IPv6.parse(host);
  if (v6.isIPv4MappedAddress()) return addrKey(v6.toIPv4Address().toString());
  return v6.toByteArray().map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** `ADDR:PORT` → [key, port]; ss prints `*` for a port it has none for (a listener's peer). */
function endpoint(text: string): [AddrKey, number] | null {
  const colon = text.lastIndexOf(':');
  const key = colon > 0 ? addrKey(text.slice(0, colon)) : null;
  const portText = text.slice(colon + 1);
  const port = portText === '*' ? 0 : /^\d{1,5}$/.test(portText) ? Number(portText) : -1;
  return key === null || port < 0 || port > 65_535 ? null : [key, port];
}

/**
 * Parses `ss -tanH` lines ("STATE Recv-Q Send-Q Local:Port Peer:Port") into rows. Recv-Q and Send-Q are what
 * /proc/net/tcp calls rx_queue and tx_queue, except on a listener, where Send-Q is the backlog (tx_queue there is 0).
 */
export function parseSsTable(text: string, sink: RowSink): TableReadResult {
  let rows = 0, badLines = 0;
  for (const line of text.split('\n')) {
    const [stateText = '', recvQ = '', sendQ = '', local = '', peer = ''] = line.trim().split(/\s+/);
    if (stateText === '') continue;
    const state = STATE_CODES.get(stateText);
    const l = endpoint(local), p = endpoint(peer);
    if (state === undefined || l === null || p === null || !/^\d+$/.test(recvQ) || !/^\d+$/.test(sendQ)) {
      badLines++;
      continue;
    }
    rows++;
    sink.row(l[0], l[1], p[0], p[1], state, state === STATE.LISTEN ? 0 : Number(sendQ), Number(recvQ));
  }
  return { rows, badLines };
}

export const SS_TABLE_ARGS = ['-tanH', 'exclude', 'time-wait'] as const;

/** Runs `ss -tanH exclude time-wait` into a sink; null when ss is missing or fails (the caller reads /proc instead). */
export async function readSsTable(sink: RowSink, opts: { exec?: Exec; netns?: string } = {}): Promise<TableReadResult | null> {
  const run = opts.exec ?? exec;
  const result = await run('ss', SS_TABLE_ARGS, { timeoutMs: 10_000, ...(opts.netns === undefined ? {} : { netns: opts.netns }) });
  return result.failed ? null : parseSsTable(result.stdout, sink);
}
