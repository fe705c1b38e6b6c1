// Which sockets listen on a port, by inode, from the text of /proc/PID/net/tcp and tcp6 (the CLI uses it to know
// that the process behind a pid file is the one holding the API's port). Pure.

const LISTEN = '0A';

/** Inodes of the sockets listening on `port` in a process's network namespace (/proc/PID/net/tcp and tcp6). */
export function listeningInodes(tables: readonly string[], port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of tables) {
    for (const line of table.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      const local = f[1]?.split(':')[1];
      if (f[3] === LISTEN && local !== undefined && parseInt(local, 16) === port && f[9] !== undefined) inodes.add(f[9]);
    }
  }
  return inodes;
}
