// Starts Debian's nginx or Apache prefork inside the victim namespace with a generated config under the run's
// directory, waits until it listens, and stops it (SIGTERM, then SIGKILL). The host's service is never involved.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { exec, spawnLong } from '../core/exec.js';
import { SynguardError } from '../core/errors.js';
import { apacheConfig, configPath, INDEX_HTML, nginxConfig, serverCommand, type ServerKind, type ServerListen } from './server-config.js';
import { ensureTools } from './tools.js';
import { sessionSize } from '../observe/proc-stat.js';

export interface RunningServer {
  readonly kind: ServerKind;
  /** Its processes now, master and workers (Apache prefork's pool grows with its connections, then shrinks slowly). */
  processes(): number;
  stop(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** True once something listens on `port` in `ns` (Apache makes one dual-stack socket of 0.0.0.0 and [::]; nginx two). */
async function listening(ns: string, port: number): Promise<boolean> {
  const r = await exec('ss', ['-ltnH', `sport = :${port}`], { netns: ns });
  return r.stdout.split('\n').some((l) => l.startsWith('LISTEN'));
}

/** The servers' workers run as www-data (Apache) or nobody (nginx): every directory above the document root must let them through. */
export function closedAncestor(dir: string): string | null {
  for (let d = dir; ; d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) return d;
    if (dirname(d) === d) return null;
  }
}

/** Starts `kind` in `ns`; its config, pid, logs and document root live in `<runDir>/server`. */
export async function startRealServer(kind: Exclude<ServerKind, 'builtin'>, ns: string, runDir: string, labId: string, l: ServerListen): Promise<RunningServer> {
  const bin = kind === 'nginx' ? 'nginx' : 'apache2';
  ensureTools([bin, 'setsid']);
  const dir = join(runDir, 'server');
  for (const sub of ['www', 'run', 'tmp']) mkdirSync(join(dir, sub), { recursive: true });
  const paths = { dir, labId };
  writeFileSync(join(dir, 'www', 'index.html'), INDEX_HTML);
  const closed = closedAncestor(join(dir, 'www'));
  if (closed) throw new SynguardError('input', `${bin}'s workers cannot read ${dir}/www: ${closed} is not searchable by other users (mode ${(statSync(closed).mode & 0o777).toString(8)}); use an --out directory under one that is`);
  writeFileSync(configPath(kind, paths), kind === 'nginx' ? nginxConfig(paths, l) : apacheConfig(paths, l));
  const cmd = serverCommand(kind, paths);
  // Its own session (setsid execs, no fork): Apache prefork signals its whole process group when it stops its
  // children, and that group would otherwise be ours.
  const { child, exited } = spawnLong('setsid', [cmd.file, ...cmd.args], { netns: ns, env: { ...process.env, ...cmd.env } });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  let exitCode: number | null | undefined;
  void exited.then((c) => (exitCode = c));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const hard = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(hard);
  };
  for (let waited = 0; ; waited += 100) {
    if (exitCode !== undefined) throw new SynguardError('exec', `${bin} in ${ns} exited (${String(exitCode)}) at start: ${output.trim().split('\n').slice(-2).join(' / ')} (log: ${dir}/error.log)`);
    if (await listening(ns, l.port)) break;
    if (waited >= 10_000) {
      await stop();
      throw new SynguardError('exec', `${bin} in ${ns} did not listen on port ${l.port} within 10 s: ${output.trim()} (log: ${dir}/error.log)`);
    }
    await sleep(100);
  }
  // setsid made the server's first process a session leader: the session holds exactly the server's processes
  return { kind, stop, processes: () => sessionSize(child.pid ?? -1) };
}
