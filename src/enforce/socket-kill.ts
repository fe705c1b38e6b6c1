// Destroys the existing TCP sockets of banned sources with `ss -K` (SOCK_DESTROY) and counts what was killed.
import { cidrContains, cidrText, normalizeAddress, parseCidr, type Cidr } from '../core/address.js';
import { exec as realExec, type Exec } from '../core/exec.js';
import { SynguardError } from '../core/errors.js';

export interface SocketKillOptions {
  readonly exec?: Exec;
  readonly netns?: string;
  /** Values per `ss` invocation (one `or` filter each). */
  readonly chunk?: number;
  /** Peers whose sockets are kept even inside a killed prefix (spared proven clients). */
  readonly except?: readonly string[];
}

/**
 * The ss filter for some sources: `dst A or dst B …`. An IPv4 condition also matches IPv4-mapped peers
 * (::ffff:a.b.c.d) of dual-stack listeners: the kernel's inet_diag filter compares them as IPv4 (checked on 6.x).
 */
export function ssFilter(cidrs: readonly Cidr[]): string[] {
  return cidrs.flatMap((c, i) => (i === 0 ? ['dst', cidrText(c)] : ['or', 'dst', cidrText(c)]));
}

/** Lines ss -K printed for killed sockets (it prints each socket it closed; -H drops the header). */
export function countKilled(stdout: string): number {
  return stdout.split('\n').filter((l) => l.trim() !== '').length;
}

/** The peer addresses in `ss -Htn state connected` output (State, Recv-Q, Send-Q, Local, Peer), canonical. */
export function connectedPeers(stdout: string): Set<string> {
  const peers = new Set<string>();
  for (const line of stdout.split('\n')) {
    const peer = line.trim().split(/\s+/)[4];
    const address = peer === undefined ? null : normalizeAddress(peer.slice(0, peer.lastIndexOf(':')));
    if (address !== null) peers.add(address);
  }
  return peers;
}

/** The values that cover at least one of `peers`: a host by lookup, a prefix by a scan of the peers. */
export function coveringPeers(cidrs: readonly Cidr[], peers: ReadonlySet<string>): Cidr[] {
  const all = [...peers];
  return cidrs.filter((c) => (c.length === (c.family === 4 ? 32 : 128) ? peers.has(c.address) : all.some((p) => cidrContains(c, p))));
}

/** Above this many values, the connected peers are listed once first and only the values covering one are killed. */
const LIST_FIRST_ABOVE = 1000;

/**
 * Kills every TCP socket whose peer lies in one of `values` (validated through parseCidr); returns how many died.
 * Many values at once (a start-up that re-applies 100k bans to an empty kernel): one listing of the connected sockets
 * first, then `ss -K` only for the values that have one — 1,000 `ss` runs of 100 values took 17 s at 100k. The bans
 * are in the kernel by then (killSockets runs after the commit), so no new socket of theirs appears in between.
 */
export async function killSockets(values: readonly string[], opts: SocketKillOptions = {}): Promise<number> {
  const run = opts.exec ?? realExec;
  let cidrs = values.map(parseCidr);
  const except = (opts.except ?? []).map(parseCidr);
  if (cidrs.length > LIST_FIRST_ABOVE) {
    const r = await run('ss', ['-H', '-t', '-n', 'state', 'connected'], { ...(opts.netns ? { netns: opts.netns } : {}), timeoutMs: 30_000 });
    if (r.spawnError) throw new SynguardError('missing-tool', 'ss is not installed (Debian package: iproute2)');
    if (r.failed) throw new SynguardError('exec', `ss failed: ${r.stderr.trim().slice(0, 300)}`);
    cidrs = coveringPeers(cidrs, connectedPeers(r.stdout));
  }
  const keep = except.length === 0 ? [] : ['and', 'not', '(', ...ssFilter(except), ')'];
  const chunk = Math.max(1, opts.chunk ?? 100);
  let killed = 0;
  for (let i = 0; i < cidrs.length; i += chunk) {
    const args = ['-H', '-t', '-n', '-K', 'state', 'connected', '(', ...ssFilter(cidrs.slice(i, i + chunk)), ')', ...keep];
    const r = await run('ss', args, { ...(opts.netns ? { netns: opts.netns } : {}), timeoutMs: 30_000 });
    if (r.spawnError) throw new SynguardError('missing-tool', 'ss is not installed (Debian package: iproute2)');
    if (r.failed) throw new SynguardError('exec', `ss -K failed: ${r.stderr.trim().slice(0, 300)}`);
    killed += countKilled(r.stdout);
  }
  return killed;
}
