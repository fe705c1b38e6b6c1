// The Node.js synguard runs on: 24 or newer (package.json engines). An older one (Debian's own /usr/bin/node first on
// PATH, say) would load a SQLite binding built for another ABI and die in native code: one line says so first.

export const MIN_NODE_MAJOR = 24;

/** The line to print when `version` (process.version, "v20.19.2") is too old, or null when it will do. */
export function tooOldNode(version: string, execPath: string): string | null {
  const major = Number(/^v(\d+)\./.exec(version)?.[1] ?? NaN);
  if (major >= MIN_NODE_MAJOR) return null;
  return `Node.js ${MIN_NODE_MAJOR} or newer is needed; this is Node.js ${version} (${execPath}). `
    + 'scripts/install.sh installs it in /usr/local/bin: put that first on PATH, or run synguard with that node';
}
