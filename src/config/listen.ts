// Listen addresses ("127.0.0.1:9717", "[::1]:9717"): parsed once, and whether they stay on loopback. Pure.
import { BlockList, isIP } from 'node:net';

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

export const LISTEN_EXAMPLE = 'e.g. "127.0.0.1:9717" or "[::1]:9717"';

/** "HOST:PORT" with an IP literal (IPv6 in brackets) and a port from 0 to 65535; null when malformed. */
export function parseListen(text: string): ListenAddress | null {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+)):(\d{1,5})$/.exec(text);
  if (!m) return null;
  const host = m[1] ?? m[2] ?? '';
  const port = Number(m[3]);
  const family = isIP(host);
  if (port > 65_535 || family === 0 || (m[1] !== undefined) !== (family === 6)) return null;
  return { host, port };
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** True for 127.0.0.0/8 and ::1: only this host can connect. */
export function isLoopback(host: string): boolean {
  const family = isIP(host);
  return family !== 0 && LOOPBACK.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

