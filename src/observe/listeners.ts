// Listening sockets with their backlog cap and accept queue, from inet_diag via `ss -ltnH`.
import { exec, type Exec } from '../core/exec.js';
import { normalizeAddress } from '../core/address.js';

export interface ListenSocket {
  /** Canonical address; `::` with dualStack for ss's `*` (an IPv6 socket that also takes IPv4). */
  readonly address: string;
  readonly port: number;
  readonly dualStack: boolean;
  /** The SYN/accept queue cap: min(listen() backlog, net.core.somaxconn) — ss's Send-Q. */
  readonly backlog: number;
  /** Connections waiting for accept() — ss's Recv-Q. */
  readonly acceptQueue: number;
}

/** Parses `ss -ltnH` output: "LISTEN Recv-Q Send-Q Local:Port Peer:Port". */
export function parseSsListeners(text: string): { listeners: ListenSocket[]; badLines: number } {
  const listeners: ListenSocket[] = [];
  let badLines = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const [state, recvQ, sendQ, local] = line.trim().split(/\s+/);
    const colon = local?.lastIndexOf(':') ?? -1;
    const host = local?.slice(0, colon) ?? '';
    const port = Number(local?.slice(colon + 1));
    const dualStack = host === '*';
    const address = dualStack ? '::' : normalizeAddress(host);
    if (state !== 'LISTEN' || address === null || !Number.isInteger(port) || !/^\d+$/.test(recvQ ?? '') || !/^\d+$/.test(sendQ ?? '')) {
      badLines++;
      continue;
    }
    listeners.push({ address, port, dualStack, backlog: Number(sendQ), acceptQueue: Number(recvQ) });
  }
  return { listeners, badLines };
}

export type ListenerRead =
  | { readonly ok: true; readonly listeners: ListenSocket[]; readonly badLines: number }
  | { readonly ok: false; readonly error: string };

/** Runs `ss -ltnH`; when ss is missing or fails, says why instead of throwing. */
export async function readListeners(run: Exec = exec): Promise<ListenerRead> {
  const result = await run('ss', ['-ltnH'], { timeoutMs: 10_000 });
  if (result.spawnError === 'ENOENT') return { ok: false, error: 'ss not found: install iproute2 to see backlogs' };
  if (result.failed) return { ok: false, error: `ss -ltnH failed: ${result.stderr.trim() || `exit ${String(result.exitCode)}`}` };
  return { ok: true, ...parseSsListeners(result.stdout) };
}
