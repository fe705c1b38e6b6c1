// Finds and removes what lab runs left behind: namespaces, root-namespace links, nft tables, routes and owner files.
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { exec, type Exec } from '../core/exec.js';
import { LAB_PREFIX, labIdOf } from './names.js';
import { deleteNs, listNs } from './netns.js';
import { ownedRuns, releaseRun, runIsLive, runOwner } from './owners.js';

export interface LeftoverOptions {
  /** Skip runs whose owning process is still alive (a concurrent run). Default false. */
  readonly excludeLive?: boolean;
  /**
   * Skip runs owned by another live process (a concurrent run on a shared machine), but list this process's own:
   * what a test checks after its floods. Default false.
   */
  readonly excludeOthers?: boolean;
  /** Only look at this run id. */
  readonly id?: string;
  readonly run?: Exec;
}

/** Whether run `id` is left out of the look: another run's id, or a live run the options exclude. */
function skipped(id: string, o: LeftoverOptions): boolean {
  if (o.id !== undefined && id !== o.id) return true;
  if (o.excludeLive && runIsLive(id)) return true;
  if (!o.excludeOthers) return false;
  const owner = runOwner(id);
  return owner !== null && owner !== process.pid;
}

function wanted(name: string, o: LeftoverOptions): boolean {
  const id = labIdOf(name);
  return id !== null && !skipped(id, o);
}

/** The real servers the lab runs (Debian's binaries, by their executable's name). */
const SERVER_EXES = new Set(['nginx', 'apache2']);

/**
 * nginx and apache2 processes that are the lab's: in a lab namespace (`inodes`: netns inode → run id), or started
 * with a lab config (`sgl-<id>-…conf` in the command line). A host's own nginx, or a container's, is never listed.
 */
export function serverProcesses(inodes: ReadonlyMap<string, string>, proc = '/proc'): Array<{ pid: number; exe: string; id: string }> {
  const own = readlinkSync(`${proc}/self/ns/net`);
  const out: Array<{ pid: number; exe: string; id: string }> = [];
  for (const entry of readdirSync(proc)) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const exe = readlinkSync(`${proc}/${entry}/exe`).split('/').pop() ?? '';
      if (!SERVER_EXES.has(exe)) continue;
      const netns = readlinkSync(`${proc}/${entry}/ns/net`);
      const id = inodes.get(netns) ?? (netns === own ? undefined : /sgl-([0-9a-f]{6})-/.exec(readFileSync(`${proc}/${entry}/cmdline`, 'latin1'))?.[1]);
      if (id !== undefined) out.push({ pid: Number(entry), exe, id });
    } catch {
      // gone, or a kernel thread
    }
  }
  return out;
}

/** The netns inode (`net:[N]`) of each lab namespace still named under /run/netns, by run id. */
function labNsInodes(names: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const n of names) {
    const id = labIdOf(n);
    try {
      if (id) out.set(`net:[${statSync(`/run/netns/${n}`).ino}]`, id);
    } catch {
      // deleted meanwhile
    }
  }
  return out;
}

/** Human-readable list of everything the lab left: `netns NAME`, `link NAME`, `nft table NAME`, `route ...`, `server process PID (exe)`, `owner file ID`. */
export async function listLeftovers(o: LeftoverOptions = {}): Promise<string[]> {
  const run = o.run ?? exec;
  const found: string[] = [];
  const names = await listNs(run);
  for (const ns of names) if (wanted(ns, o)) found.push(`netns ${ns}`);
  // A server in a live run's namespace belongs to that run; one in a deleted namespace belongs to no run at all.
  for (const p of serverProcesses(labNsInodes(names))) {
    if (skipped(p.id, o)) continue;
    found.push(`server process ${p.pid} (${p.exe}, lab ${p.id})`);
  }
  const links = await run('ip', ['-o', 'link', 'show']);
  for (const line of links.stdout.split('\n')) {
    const name = /^\d+:\s+([^:@\s]+)/.exec(line)?.[1];
    if (name?.startsWith(LAB_PREFIX) && wanted(name, o)) found.push(`link ${name}`);
  }
  const tables = await run('nft', ['list', 'tables']);
  for (const line of tables.stdout.split('\n')) {
    if (/\bsgl[-_]/.test(line)) found.push(`nft ${line.trim()}`);
  }
  for (const fam of ['-4', '-6']) {
    const routes = await run('ip', [fam, 'route', 'show', 'table', 'all']);
    for (const line of routes.stdout.split('\n')) {
      if (/(^|\s)(198\.1[89]\.|2001:db8:)/.test(line) && /sgl-/.test(line)) found.push(`route ${line.trim()}`);
    }
  }
  for (const id of ownedRuns()) {
    if (!skipped(id, o)) found.push(`owner file ${id}`);
  }
  return found;
}

/** Removes leftovers of earlier runs (never a live concurrent run). Returns what it removed and what it could not. */
export async function removeLeftovers(run: Exec = exec): Promise<{ removed: string[]; failed: string[] }> {
  const removed: string[] = [];
  const failed: string[] = [];
  const o = { excludeLive: true };
  for (const ns of await listNs(run)) {
    if (!wanted(ns, o)) continue;
    const err = await deleteNs(ns, run);
    if (err) failed.push(err);
    else removed.push(`netns ${ns}`);
  }
  const links = await run('ip', ['-o', 'link', 'show']);
  for (const line of links.stdout.split('\n')) {
    const name = /^\d+:\s+([^:@\s]+)/.exec(line)?.[1];
    if (!name?.startsWith(LAB_PREFIX) || !wanted(name, o)) continue;
    const r = await run('ip', ['link', 'del', name]);
    (r.failed ? failed : removed).push(`link ${name}`);
  }
  for (const id of ownedRuns()) {
    if (runIsLive(id)) continue;
    releaseRun(id);
    removed.push(`owner file ${id}`);
  }
  return { removed, failed };
}
