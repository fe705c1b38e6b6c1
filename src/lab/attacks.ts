// Bounded SYN floods from an attacker namespace: hping3 for IPv4 (optionally spoofed via nft numgen), a python3 raw sender for IPv6.
// An IPv4 flood's count is the kernel's: a counter on its own nft rule. Stopped at the time limit, hping3 prints its
// statistics from its SIGINT handler, which can abort on a corrupted heap ("corrupted double-linked list", seen in CI)
// after its last packet has left.
import { exec, runBounded } from '../core/exec.js';
import { SynguardError } from '../core/errors.js';
import type { LabHost } from './topology.js';
import { assertLabRange, floodBudget, floodRuleset, hpingArgs, parseSentCounter, type FloodBudget } from './flood-args.js';
import { nftApply } from './netns.js';
import { SYN6_SENDER } from './syn6-sender.js';
import { ensureTools, pythonBin } from './tools.js';

export interface SynFloodOptions {
  target: string;
  port: number;
  pps: number;
  maxPackets: number;
  durationS: number;
  /** IPv4: rewrite sources to random addresses in this prefix. IPv6: rotate sources inside this prefix (e.g. the attacker's /64). */
  spoofCidr?: string;
}

let floodSeq = 0;

/** Runs a flood program until it exits or the flood's time is up (SIGINT, then SIGKILL 2 s later); returns its output. */
async function runFlood(ns: string, file: string, args: string[], b: FloodBudget): Promise<string> {
  return (await runBounded(file, args, { netns: ns, interruptMs: b.durationS * 1000, killMs: b.durationS * 1000 + 2000 })).output;
}

/** Floods `target:port` with SYNs from `from`; resolves when the flood has ended (≤ 30 s, ≤ maxPackets). */
export async function synFlood(from: LabHost, opts: SynFloodOptions): Promise<{ packetsSent: number }> {
  assertLabRange('target', opts.target);
  if (opts.spoofCidr !== undefined) assertLabRange('spoofCidr', opts.spoofCidr);
  const b = floodBudget(opts.pps, opts.maxPackets, opts.durationS);
  if (opts.target.includes(':')) return synFlood6(from, opts, b);
  ensureTools(['hping3', 'nft']);
  const seq = ++floodSeq;
  const ttl = 32 + (seq % 64);
  const table = `sgl_flood_${process.pid}_${seq}`;
  await nftApply(from.ns, floodRuleset(table, ttl, opts.spoofCidr));
  try {
    const out = await runFlood(from.ns, 'hping3', hpingArgs(opts.target, opts.port, b, ttl), b);
    const sent = parseSentCounter((await exec('nft', ['list', 'table', 'ip', table], { netns: from.ns })).stdout);
    if (!sent) throw new SynguardError('exec', `hping3 in ${from.ns} sent no SYN: ${out.trim().split('\n').slice(-2).join(' / ')}`);
    return { packetsSent: sent };
  } finally {
    await exec('nft', ['delete', 'table', 'ip', table], { netns: from.ns });
  }
}

async function synFlood6(from: LabHost, opts: SynFloodOptions, b: FloodBudget): Promise<{ packetsSent: number }> {
  ensureTools(['python3']);
  const [mode, src] = opts.spoofCidr !== undefined ? ['rotate', opts.spoofCidr] : ['fixed', from.v6[0] ?? ''];
  if (!src) throw new SynguardError('input', `attacker ${from.ns} has no IPv6 address`);
  const endAt = (Date.now() + b.durationS * 1000) / 1000;
  const args = ['-c', SYN6_SENDER, opts.target, String(opts.port), String(opts.pps), String(b.count), endAt.toFixed(3), mode, src];
  const out = await runFlood(from.ns, pythonBin(), args, { ...b, durationS: b.durationS + 1 });
  const m = /sent (\d+)/.exec(out);
  if (!m) throw new SynguardError('exec', `IPv6 SYN sender in ${from.ns} failed: ${out.trim().split('\n').slice(-2).join(' / ')}`);
  return { packetsSent: Number(m[1]) };
}
