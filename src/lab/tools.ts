// Preflight checks for the lab: root, and every program it runs, with the Debian package that provides it.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { SynguardError } from '../core/errors.js';

/** Program → Debian package that ships it. */
export const TOOL_PACKAGES: Readonly<Record<string, string>> = {
  ip: 'iproute2',
  nft: 'nftables',
  hping3: 'hping3',
  python3: 'python3',
  sysctl: 'procps',
  ss: 'iproute2',
  setsid: 'util-linux',
  nginx: 'nginx',
  apache2: 'apache2',
  wrk: 'wrk',
};

/** Debian's python3 when present (fast start-up), else whatever python3 is on PATH (a pyenv shim can take a second to start). */
export function pythonBin(): string {
  try {
    accessSync('/usr/bin/python3', constants.X_OK);
    return '/usr/bin/python3';
  } catch {
    return 'python3';
  }
}

/** True when `file` is an executable somewhere on PATH. */
export function onPath(file: string, path = process.env['PATH'] ?? ''): boolean {
  return path.split(delimiter).some((dir) => {
    if (!dir) return false;
    try {
      accessSync(join(dir, file), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Throws a missing-tool error naming the Debian packages to install when any tool is absent. */
export function ensureTools(tools: readonly string[] = Object.keys(TOOL_PACKAGES), has: (f: string) => boolean = onPath): void {
  const missing = tools.filter((t) => !has(t));
  if (missing.length === 0) return;
  const pkgs = [...new Set(missing.map((t) => TOOL_PACKAGES[t] ?? t))];
  throw new SynguardError('missing-tool', `the lab needs ${missing.join(', ')}: install with apt-get install ${pkgs.join(' ')}`);
}

/** Throws a permission error unless running as root (namespaces, raw sockets and nft all need it). */
export function ensureRoot(uid: number | undefined = process.getuid?.()): void {
  if (uid !== 0) {
    throw new SynguardError('permission', 'the lab creates network namespaces and raw sockets: run it as root');
  }
}
