// Listening sockets with their backlog cap and accept queue, from inet_diag via `ss -tnH state listening`. Not
// `ss -ltnH`: its -l asks for listening and closed sockets (closed for UDP's sake), so the kernel walks every
// established and half-open socket for it. During a 150k-entry SYN flood that took 46–56 ms, all in the kernel, beside
// the walk of the table; with the state filter alone the kernel reads only the listening hash: 5–6 ms.
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

/** Parses `ss -tnH state listening` ("Recv-Q Send-Q Local:Port Peer:Port") or `ss -ltnH` (the same after "LISTEN"). */
export function parseSsListeners(text: string): { listeners: ListenSocket[]; badLines: number } {
  const listeners: ListenSocket[] = [];
  let badLines = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const fields = line.trim().split(/\s+/);
    if (fields[0] === 'LISTEN') fields.shift();
    const [recvQ, sendQ, local] = fields;
    const colon = local?.lastIndexOf(':') ?? -1;
    const host = local?.slice(0, colon) ?? '';
    const port = Number(local?.slice(colon + 1));
    const dualStack = host === '*';
    const address = dualStack ? '::' : normalizeAddress(host);
    if (address === null || !Number.isInteger(port) || !/^\d+$/.test(recvQ ?? '') || !/^\d+$/.test(sendQ ?? '')) {
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

const SS_LISTENING = ['-tnH', 'state', 'listening'];

/** Runs `ss -tnH state listening`; when ss is missing or fails, says why instead of throwing. */
export async function readListeners(run: Exec = exec): Promise<ListenerRead> {
  const result = await run('ss', SS_LISTENING, { timeoutMs: 10_000 });
  if (result.spawnError === 'ENOENT') return { ok: false, error: 'ss not found: install iproute2 to see backlogs' };
  if (result.failed) return { ok: false, error: `ss ${SS_LISTENING.join(' ')} failed: ${result.stderr.trim() || `exit ${String(result.exitCode)}`}` };
  return { ok: true, ...parseSsListeners(result.stdout) };
}
