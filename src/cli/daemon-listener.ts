// Whether a daemon's API is reachable from this CLI: same network namespace, and that very process listening on the
// port (read from /proc, so the CLI never talks to another program or another synguard that happens to hold it).
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { listeningInodes } from '../observe/listening-inodes.js';

export type Reach = { ok: true } | { ok: false; why: string };

const readOr = (path: string): string => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};

/** Can this process reach `pid`'s listener on `port` over loopback? Unknown (no permission) counts as yes. */
export function daemonReach(pid: number, port: number, proc = '/proc'): Reach {
  let fds: string[];
  try {
    if (readlinkSync(`${proc}/self/ns/net`) !== readlinkSync(`${proc}/${pid}/ns/net`)) {
      return { ok: false, why: 'it runs in another network namespace' };
    }
    fds = readdirSync(`${proc}/${pid}/fd`);
  } catch {
    return { ok: true }; // not ours to inspect (not root): let the request tell
  }
  const inodes = listeningInodes([readOr(`${proc}/${pid}/net/tcp`), readOr(`${proc}/${pid}/net/tcp6`)], port);
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`${proc}/${pid}/fd/${fd}`));
      if (m?.[1] !== undefined && inodes.has(m[1])) return { ok: true };
    } catch {
      /* closed meanwhile */
    }
  }
  return { ok: false, why: `it does not listen on port ${port} (its API is off, or it was started with another config: pass the same --config)` };
}
