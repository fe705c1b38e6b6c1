// The victim side of the lab: per-namespace sysctls and the real HTTP service the probe and the attacks aim at.
import { fileURLToPath } from 'node:url';
import { execOrThrow, spawnLong } from '../core/exec.js';
import { SynguardError } from '../core/errors.js';

/** Short names scenarios may use for the usual victim knobs. */
export const SYSCTL_ALIASES: Readonly<Record<string, string>> = {
  tcp_syncookies: 'net.ipv4.tcp_syncookies',
  somaxconn: 'net.core.somaxconn',
  tcp_max_syn_backlog: 'net.ipv4.tcp_max_syn_backlog',
  tcp_synack_retries: 'net.ipv4.tcp_synack_retries',
};

/** Full sysctl name for a key or alias; only `net.*` keys (per-namespace) are accepted. */
export function sysctlKey(key: string): string {
  const full = SYSCTL_ALIASES[key] ?? key;
  if (!/^net\.[a-z0-9_.-]+$/i.test(full)) {
    throw new SynguardError('input', `sysctl "${key}" is not a per-namespace net.* key (e.g. net.ipv4.tcp_syncookies)`);
  }
  return full;
}

/** Sets sysctls inside namespace `ns` only (never the root namespace). */
export async function setSysctls(ns: string, values: Record<string, string | number>): Promise<void> {
  const args = Object.entries(values).map(([k, v]) => `${sysctlKey(k)}=${String(v)}`);
  if (args.length === 0) return;
  if (!ns) throw new SynguardError('input', 'setSysctls needs a lab namespace');
  await execOrThrow('sysctl', ['-q', '-w', ...args], { netns: ns });
}

export interface VictimServerOptions {
  port: number;
  backlog: number;
  /** Close connections beyond this many (like a server out of workers); 0 = unlimited. */
  maxConnections?: number;
}

/** Starts the HTTP server in `ns` on 0.0.0.0 and :: with the given listen backlog; resolves once it listens. */
export async function startVictimServer(ns: string, opts: VictimServerOptions): Promise<{ stop(): Promise<void> }> {
  const script = fileURLToPath(new URL('./victim-server.js', import.meta.url));
  const args = [script, String(opts.port), String(opts.backlog), String(opts.maxConnections ?? 0)];
  const { child, exited } = spawnLong(process.execPath, args, { netns: ns });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`victim server in ${ns} did not start in 10 s: ${stderr.trim()}`)), 10_000);
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`victim server in ${ns} exited (${String(code)}): ${stderr.trim()}`));
    });
  });
  return {
    async stop(): Promise<void> {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 2000);
        await exited;
        clearTimeout(t);
      }
    },
  };
}
