// The default gateways, from `ip -j route show default` and `ip -6 -j route show default`: parser and thin reader.
import { normalizeAddress } from '../core/address.js';
import { exec as realExec, execOrThrow } from '../core/exec.js';
import { objects, parseIpJson, type IpReaderOptions } from './addresses.js';

interface Hop {
  readonly gateway?: unknown;
  /** A route via a gateway of the other family prints `"via": {"family": "inet6", "host": "fe80::1"}`. */
  readonly via?: { readonly host?: unknown };
}
interface Route extends Hop { readonly nexthops?: readonly Hop[] }

function hopGateway(hop: Hop): string | null {
  const via = typeof hop.via === 'object' && hop.via !== null ? hop.via : {};
  const text = typeof hop.gateway === 'string' ? hop.gateway : typeof via.host === 'string' ? via.host : null;
  return text === null ? null : normalizeAddress(text);
}

/** Every gateway of every default route, single-path or multipath, canonical and deduplicated. */
export function parseGateways(json: string, command = 'ip -j route show default'): string[] {
  const seen = new Set<string>();
  for (const route of objects<Route>(parseIpJson(json, command))) {
    for (const hop of [route, ...objects<Hop>(route.nexthops)]) {
      const gateway = hopGateway(hop);
      if (gateway !== null) seen.add(gateway);
    }
  }
  return [...seen];
}

/** Runs both route listings (IPv4, IPv6) and returns the default gateways of both families. */
export async function readGateways(options: IpReaderOptions = {}): Promise<string[]> {
  const run = options.exec ?? realExec;
  const execOptions = { ...(options.netns === undefined ? {} : { netns: options.netns }), timeoutMs: 10_000 };
  const v4 = await execOrThrow('ip', ['-j', 'route', 'show', 'default'], execOptions, run);
  const v6 = await execOrThrow('ip', ['-6', '-j', 'route', 'show', 'default'], execOptions, run);
  return [...new Set([...parseGateways(v4), ...parseGateways(v6, 'ip -6 -j route show default')])];
}
