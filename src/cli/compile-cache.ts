// Where the CLI keeps V8's compile cache (module.enableCompileCache): the user's cache directory, so a second run of
// any command skips compiling synguard and its dependencies. Per user, never a shared /tmp directory: a cache another
// user can write to could feed this process code. Root without a HOME (a systemd unit) uses /var/cache/synguard.
import { join } from 'node:path';

/** The cache directory for this environment and uid, or null for none (no HOME and not root). */
export function compileCacheDir(env: NodeJS.ProcessEnv, uid: number): string | null {
  const xdg = env['XDG_CACHE_HOME'];
  if (xdg?.startsWith('/')) return join(xdg, 'synguard', 'compile-cache');
  const home = env['HOME'];
  if (home?.startsWith('/') && home !== '/') return join(home, '.cache', 'synguard', 'compile-cache');
  return uid === 0 ? '/var/cache/synguard/compile-cache' : null;
}
