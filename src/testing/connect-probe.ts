// Test support: one TCP connect from a chosen source address inside a namespace, answered as true/false.
import { exec as realExec, type Exec } from '../core/exec.js';

const SCRIPT = `
const net = require('node:net');
const [host, port, localAddress, ms] = process.argv.slice(1);
const s = net.connect({ host, port: Number(port), localAddress });
const t = setTimeout(() => { console.log('timeout'); process.exit(0); }, Number(ms));
s.on('connect', () => { console.log('connected'); clearTimeout(t); s.destroy(); });
s.on('error', (e) => { console.log('error ' + e.code); clearTimeout(t); });
`;

/** Whether `from` (an address of namespace `ns`) completes a TCP handshake with host:port within `timeoutMs`. */
export async function canConnect(ns: string, from: string, host: string, port: number, timeoutMs = 1500, run: Exec = realExec): Promise<boolean> {
  const r = await run(process.execPath, ['-e', SCRIPT, host, String(port), from, String(timeoutMs)], { netns: ns, timeoutMs: timeoutMs + 5000 });
  return r.stdout.trim() === 'connected';
}
