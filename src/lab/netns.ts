// Thin I/O over `ip netns`, `ip -batch` and `nft -f` inside lab namespaces; nothing here touches the root namespace's config.
import { exec, execOrThrow, type Exec } from '../core/exec.js';

/** Creates a network namespace. */
export async function addNs(name: string, run: Exec = exec): Promise<void> {
  await execOrThrow('ip', ['netns', 'add', name], {}, run);
}

/** Runs `ip` commands (one per line, without the leading `ip`) inside a namespace as one batch. */
export async function ipBatch(ns: string, lines: readonly string[], run: Exec = exec): Promise<void> {
  if (lines.length === 0) return;
  await execOrThrow('ip', ['-netns', ns, '-batch', '-'], { input: lines.join('\n') + '\n' }, run);
}

/** Loads an nft ruleset (as text) inside a namespace, as one transaction. */
export async function nftApply(ns: string, ruleset: string, run: Exec = exec): Promise<void> {
  await execOrThrow('nft', ['-f', '-'], { netns: ns, input: ruleset }, run);
}

/** Process ids living in a namespace (`ip netns pids`). */
export async function nsPids(ns: string, run: Exec = exec): Promise<number[]> {
  const r = await run('ip', ['netns', 'pids', ns]);
  if (r.failed) return [];
  return r.stdout.split(/\s+/).filter(Boolean).map(Number).filter((n) => Number.isInteger(n) && n > 1);
}

/** Kills every process inside the namespace (SIGKILL), then deletes it. Never throws; returns what failed. */
export async function deleteNs(ns: string, run: Exec = exec): Promise<string | null> {
  for (let round = 0; round < 3; round++) {
    const pids = await nsPids(ns, run);
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const r = await run('ip', ['netns', 'del', ns]);
  if (!r.failed || /No such file/.test(r.stderr)) return null;
  return `ip netns del ${ns}: ${r.stderr.trim()}`;
}

/** Names of all network namespaces (`ip netns list`), without the `(id: N)` suffix. */
export async function listNs(run: Exec = exec): Promise<string[]> {
  const r = await run('ip', ['netns', 'list']);
  if (r.failed) return [];
  return r.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter(Boolean);
}
