// Gathers what the allow-list is built from (own addresses, gateways, SSH peers); a reader that fails becomes a warning.
import type { Exec } from '../core/exec.js';
import { readOwnAddresses } from './addresses.js';
import { readGateways } from './routes.js';
import { readSshPeers } from './ssh-peers.js';

export interface AllowInputs {
  readonly own: readonly string[];
  readonly gateways: readonly string[];
  readonly sshPeers: readonly string[];
  /** One line per reader that failed; the allow-list is then narrower than it should be, and the caller must say so. */
  readonly warnings: readonly string[];
}

export interface AllowInputOptions {
  readonly sshPorts: readonly number[];
  readonly exec?: Exec;
  readonly netns?: string;
  /** Socket tables to read the SSH sessions from (default /proc/net/tcp{,6} of this process's namespace). */
  readonly tcpPaths?: readonly string[];
  /** The SSH peers of a recent walk of the table (the daemon's), if there is one: no walk of its own then. */
  readonly sshPeers?: () => string[] | null;
}

async function attempt(what: string, read: () => Promise<string[]>, warnings: string[]): Promise<string[]> {
  try {
    return await read();
  } catch (err) {
    warnings.push(`cannot read ${what}: ${(err as Error).message}`);
    return [];
  }
}

export async function gatherAllowInputs(options: AllowInputOptions): Promise<AllowInputs> {
  const warnings: string[] = [];
  const ip = { ...(options.exec ? { exec: options.exec } : {}), ...(options.netns === undefined ? {} : { netns: options.netns }) };
  const own = await attempt("this host's addresses", () => readOwnAddresses(ip), warnings);
  const gateways = await attempt('the default gateways', () => readGateways(ip), warnings);
  const seen = options.sshPeers?.() ?? null;
  const sshPeers = seen ?? (await attempt('the SSH sessions', () => readSshPeers(options.sshPorts, options.tcpPaths), warnings));
  return { own, gateways, sshPeers, warnings };
}
