// Finds and removes what lab runs left behind: namespaces, root-namespace links, nft tables, routes and owner files.
import { exec, type Exec } from '../core/exec.js';
import { LAB_PREFIX, labIdOf } from './names.js';
import { deleteNs, listNs } from './netns.js';
import { ownedRuns, releaseRun, runIsLive } from './owners.js';

export interface LeftoverOptions {
  /** Skip runs whose owning process is still alive (a concurrent run). Default false. */
  readonly excludeLive?: boolean;
  /** Only look at this run id. */
  readonly id?: string;
  readonly run?: Exec;
}

function wanted(name: string, o: LeftoverOptions): boolean {
  const id = labIdOf(name);
  if (id === null) return false;
  if (o.id !== undefined && id !== o.id) return false;
  return !(o.excludeLive && runIsLive(id));
}

/** Human-readable list of everything the lab left: `netns NAME`, `link NAME`, `nft table NAME`, `route ...`, `owner file ID`. */
export async function listLeftovers(o: LeftoverOptions = {}): Promise<string[]> {
  const run = o.run ?? exec;
  const found: string[] = [];
  for (const ns of await listNs(run)) if (wanted(ns, o)) found.push(`netns ${ns}`);
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
    if ((o.id === undefined || o.id === id) && !(o.excludeLive && runIsLive(id))) found.push(`owner file ${id}`);
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
