// Test support: a socket table with every kind of row, held still inside a lab namespace (lab addresses only):
// listeners (IPv4, IPv6-only, dual-stack), ESTABLISHED over IPv4, IPv6 and IPv4-mapped IPv6, server-side TIME_WAIT,
// and half-open SYN_RECV from hping3 SYNs whose SYN-ACKs go nowhere (8 SYNs, within a second). No link leaves the
// namespace. The holder process stays until stop(); its /proc/PID/net files are that namespace's.
import { setTimeout as sleep } from 'node:timers/promises';
import { exec, execOrThrow, spawnLong } from '../core/exec.js';
import { readTimeWait } from '../observe/sockstat.js';

export const MIXED = {
  v4: '198.18.0.1', v4Client: '198.18.0.2', v4Silent: ['198.18.0.9', '198.18.0.10'],
  v6: '2001:db8::1', v6Client: '2001:db8::2',
  ports: { v4: 8080, v6: 8081, dual: 8082, half: 8083 },
  established: { v4: 5, v6: 3, mapped: 2 }, timeWait: 40,
} as const;

// The holder: listens, connects, closes 40 connections from the server side, then prints "ready" and waits.
const HOLDER = `
const net = require('node:net');
const M = ${JSON.stringify(MIXED)};
const held = [];
const listen = (port, host, opts = {}) => new Promise((ok) => { const s = net.createServer((c) => { held.push(c); if (s.closeFirst) c.end(); }); s.listen({ port, host, ...opts }, () => ok(s)); held.push(s); });
// Each client its own port: a port the kernel picked again would meet the server's TIME_WAIT of the same four-tuple,
// which takes the new SYN and is gone (tcp_tw_reuse applies to loopback traffic), leaving one TIME_WAIT short.
let nextPort = 20000;
const connect = (port, host, localAddress) => new Promise((ok, ko) => { const c = net.connect({ port, host, localAddress, localPort: nextPort++ }, () => ok(c)); c.on('error', ko); c.on('end', () => c.end()); held.push(c); });
(async () => {
  const v4 = await listen(M.ports.v4, M.v4);
  await listen(M.ports.v6, M.v6, { ipv6Only: true });
  await listen(M.ports.dual, '::');
  await listen(M.ports.half, M.v4, { backlog: 64 });
  for (let i = 0; i < M.established.v4; i++) await connect(M.ports.v4, M.v4, M.v4Client);
  for (let i = 0; i < M.established.v6; i++) await connect(M.ports.v6, M.v6, M.v6Client);
  for (let i = 0; i < M.established.mapped; i++) await connect(M.ports.dual, M.v4, M.v4Client);
  v4.closeFirst = true;
  const closing = [];
  for (let i = 0; i < M.timeWait; i++) { const c = await connect(M.ports.v4, M.v4, M.v4Client); closing.push(new Promise((ok) => c.on('close', ok))); }
  await Promise.all(closing);
  process.stdout.write('ready\\n');
})().catch((err) => { console.error(err); process.exit(1); });
`;

export interface MixedTable {
  /** The holder's pid: /proc/PID/net/tcp{,6} and sockstat are the namespace's. */
  readonly pid: number;
  stop(): Promise<void>;
}

/** Builds the table in `ns` (which must have lo up) and waits until it holds every row. */
export async function mixedTable(ns: string): Promise<MixedTable> {
  const ip = (...args: string[]) => execOrThrow('ip', ['-n', ns, ...args]);
  await ip('link', 'add', 'd0', 'type', 'veth', 'peer', 'name', 'd1'); // both ends in the namespace
  for (const l of ['d0', 'd1']) await ip('link', 'set', l, 'up');
  for (const a of [`${MIXED.v4}/24`, `${MIXED.v4Client}/24`]) await ip('addr', 'add', a, 'dev', 'd0');
  for (const a of [`${MIXED.v6}/64`, `${MIXED.v6Client}/64`]) await ip('addr', 'add', a, 'dev', 'd0', 'nodad');
  const { child, exited } = spawnLong(process.execPath, ['-e', HOLDER], { netns: ns });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  const stop = async () => {
    child.kill('SIGKILL');
    await exited;
  };
  try {
    await new Promise<void>((ok, ko) => {
      child.stdout?.on('data', (d: Buffer) => { if (d.toString().includes('ready')) ok(); });
      void exited.then((code) => ko(new Error(`the table holder exited (${String(code)}): ${stderr.trim()}`)));
    });
    // A client's 'close' can come before the server's last FIN_WAIT2 turned TIME_WAIT (Node closes the handle in
    // LAST_ACK): wait for the kernel's count, then for the last ACKs to land, so that the table holds still.
    for (let i = 0; readTimeWait(`/proc/${String(child.pid)}/net/sockstat`) !== MIXED.timeWait; i++) {
      if (i === 100) throw new Error(`the table holder's TIME_WAIT sockets did not reach ${MIXED.timeWait}`);
      await sleep(50);
    }
    await sleep(200);
    for (const from of MIXED.v4Silent) {
      // hping3 exits 1 when nothing answers, which is the point: only a failure to start counts.
      const sent = await exec('hping3', ['-q', '-S', '-p', String(MIXED.ports.half), '-a', from, '-c', '4', '-i', 'u20000', MIXED.v4], { netns: ns, timeoutMs: 10_000 });
      if (sent.spawnError !== undefined || sent.timedOut) throw new Error(`hping3 did not run: ${sent.spawnError ?? 'timed out'}`);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { pid: child.pid ?? -1, stop };
}
