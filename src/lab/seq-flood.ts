// A bounded IPv4 SYN flood in which every SYN has its own source address and port (syn4-sender.ts), so each one
// leaves a half-open entry: what fills a socket table to a million within the 30 s a lab flood may last.
import ipaddr from 'ipaddr.js';
import { exec } from '../core/exec.js';
import { SynguardError } from '../core/errors.js';
import { assertLabRange, floodBudget } from './flood-args.js';
import { SYN4_SENDER } from './syn4-sender.js';
import { ensureTools, pythonBin } from './tools.js';
import type { LabHost } from './topology.js';

export interface SeqFloodOptions {
  readonly target: string;
  readonly port: number;
  readonly pps: number;
  readonly maxPackets: number;
  readonly durationS: number;
  /** The /16 the sources are taken from, in order (e.g. 198.19.0.0/16, which the lab routes back to attacker 1). */
  readonly sources: string;
}

/** The sender's argv after `-c SOURCE`; throws unless the target and the /16 are IPv4 lab addresses. */
export function seqFloodArgs(opts: SeqFloodOptions, nowMs: number): string[] {
  assertLabRange('target', opts.target);
  assertLabRange('sources', opts.sources);
  const [net, len] = ipaddr.parseCIDR(opts.sources);
  if (net.kind() !== 'ipv4' || len !== 16 || !ipaddr.IPv4.isValid(opts.target)) {
    throw new SynguardError('input', `a sequential flood needs an IPv4 target and an IPv4 /16 of sources, got ${opts.target} from ${opts.sources}`);
  }
  const b = floodBudget(opts.pps, opts.maxPackets, opts.durationS);
  const net16 = net.toByteArray().slice(0, 2).join('.');
  return [opts.target, String(opts.port), String(opts.pps), String(b.count), ((nowMs + b.durationS * 1000) / 1000).toFixed(3), net16];
}

/** Floods `target:port` from `from` until the count or the time is used up (≤ 30 s); resolves with what was sent. */
export async function seqSynFlood(from: LabHost, opts: SeqFloodOptions): Promise<{ packetsSent: number }> {
  ensureTools(['python3']);
  const args = seqFloodArgs(opts, Date.now());
  const r = await exec(pythonBin(), ['-c', SYN4_SENDER, ...args], { netns: from.ns, timeoutMs: (Math.min(opts.durationS, 30) + 5) * 1000 });
  const m = /sent (\d+)/.exec(r.stdout);
  if (!m) throw new SynguardError('exec', `sequential SYN sender in ${from.ns} failed: ${(r.stdout + r.stderr).trim().split('\n').slice(-2).join(' / ')}`);
  return { packetsSent: Number(m[1]) };
}
