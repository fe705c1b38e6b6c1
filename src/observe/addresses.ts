// This host's own addresses, from `ip -j addr`: a pure parser and a thin reader through the exec module.
import { normalizeAddress } from '../core/address.js';
import { SynguardError } from '../core/errors.js';
import { exec as realExec, execOrThrow, type Exec } from '../core/exec.js';

export interface IpReaderOptions {
  readonly exec?: Exec;
  /** Read another network namespace's view (tests, the lab). */
  readonly netns?: string;
}

interface AddrInfo { readonly local?: unknown }
interface Link { readonly addr_info?: readonly AddrInfo[] }

/** Parses the JSON array `ip -j` prints, or throws an exec error naming the command. */
export function parseIpJson(text: string, command: string): unknown[] {
  try {
    const value: unknown = JSON.parse(text.trim() === '' ? '[]' : text);
    if (Array.isArray(value)) return value;
  } catch {
    // fall through
  }
  throw new SynguardError('exec', `${command} printed something other than a JSON array: ${JSON.stringify(text.slice(0, 80))}`);
}

/** The objects of a JSON array (ip never prints anything else in one; a damaged output is not a crash). */
export function objects<T extends object>(value: unknown): T[] {
  return Array.isArray(value) ? (value as unknown[]).filter((v): v is T => typeof v === 'object' && v !== null && !Array.isArray(v)) : [];
}

/**
 * Every local address of every interface, canonical (IPv4-mapped forms become IPv4), deduplicated, in the
 * order printed. The unspecified addresses (0.0.0.0, ::) are not addresses of this host and are left out.
 */
export function parseOwnAddresses(json: string): string[] {
  const seen = new Set<string>();
  for (const link of objects<Link>(parseIpJson(json, 'ip -j addr'))) {
    for (const info of objects<{ local?: unknown }>(link.addr_info)) {
      const address = typeof info.local === 'string' ? normalizeAddress(info.local) : null;
      if (address !== null && address !== '0.0.0.0' && address !== '::') seen.add(address);
    }
  }
  return [...seen];
}

/** Runs `ip -j addr` and returns this host's addresses; throws a SynguardError when ip is missing or fails. */
export async function readOwnAddresses(options: IpReaderOptions = {}): Promise<string[]> {
  const run = options.exec ?? realExec;
  const execOptions = options.netns === undefined ? {} : { netns: options.netns };
  return parseOwnAddresses(await execOrThrow('ip', ['-j', 'addr'], { ...execOptions, timeoutMs: 10_000 }, run));
}
