// Test support: reads sysctls with `sysctl -e name…` inside a network namespace (the daemon reads /proc/sys of its own
// namespace: src/observe/sysctls.ts).
import { exec as realExec } from '../core/exec.js';
import { SynguardError } from '../core/errors.js';
import type { HardenedSysctl, SysctlOptions } from '../enforce/sysctl.js';

/** Reads sysctls with `sysctl -e name…` in the namespace; unreadable ones come back as null. */
export async function readSysctls(names: readonly HardenedSysctl[], opts: SysctlOptions = {}): Promise<Record<HardenedSysctl, number | null>> {
  const run = opts.exec ?? realExec;
  const r = await run('sysctl', ['-e', ...names], opts.netns ? { netns: opts.netns } : {});
  if (r.spawnError) throw new SynguardError('missing-tool', 'sysctl is not installed (Debian package: procps)');
  const out = Object.fromEntries(names.map((n) => [n, null])) as Record<HardenedSysctl, number | null>;
  for (const line of r.stdout.split('\n')) {
    const m = /^(\S+) = (-?\d+)$/.exec(line.trim());
    if (m && (names as readonly string[]).includes(m[1]!)) out[m[1] as HardenedSysctl] = Number(m[2]);
  }
  return out;
}
