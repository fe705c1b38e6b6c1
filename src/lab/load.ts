// Real-connection attacks from an attacker namespace: a connection flood (held open) and a trickle (steady, small, legitimate-looking requests).
import { fileURLToPath } from 'node:url';
import { runBounded } from '../core/exec.js';
import { SynguardError } from '../core/errors.js';
import { MAX_FLOOD_S, assertLabRange } from './flood-args.js';
import type { LabHost } from './topology.js';

export interface LoadOptions {
  target: string;
  port: number;
  /** New connections per second. */
  rate: number;
  /** At most this many connections in all. */
  maxConnections: number;
  durationS: number;
  /** Source addresses to rotate through; default the host's first address of the target's family. */
  sources?: string[];
}

export interface LoadResult {
  attempted: number;
  opened: number;
  failed: number;
}

async function runLoad(from: LabHost, opts: LoadOptions, hold: boolean, slowMs?: number): Promise<LoadResult> {
  assertLabRange('target', opts.target);
  const durationMs = Math.min(opts.durationS, MAX_FLOOD_S) * 1000;
  const v6 = opts.target.includes(':');
  const sources = opts.sources ?? [(v6 ? from.v6[0] : from.v4[0]) ?? ''].filter(Boolean);
  const cfg = { target: opts.target, port: opts.port, rate: opts.rate, count: Math.floor(opts.maxConnections), endAt: Date.now() + durationMs, sources, hold, ...(slowMs === undefined ? {} : { slowMs }) };
  const script = fileURLToPath(new URL('./load-client.js', import.meta.url));
  // it ends by itself at endAt and prints its counts then; a SIGINT would lose them as a SIGKILL does
  const { output: out } = await runBounded(process.execPath, [script, JSON.stringify(cfg)], { netns: from.ns, killMs: durationMs + 5000 });
  const line = out.split('\n').find((l) => l.startsWith('{"attempted"'));
  if (!line) throw new SynguardError('exec', `load generator in ${from.ns} failed: ${out.trim().split('\n').slice(-2).join(' / ')}`);
  return JSON.parse(line) as LoadResult;
}

/** Opens real connections at `rate` and holds them open until the time is up (connection exhaustion; SYN cookies do not help). */
export function connectionFlood(from: LabHost, opts: LoadOptions): Promise<LoadResult> {
  return runLoad(from, opts, true);
}

/** Makes complete HTTP requests at a low steady rate: load a defender must not mistake for an attack. */
export function trickle(from: LabHost, opts: LoadOptions): Promise<LoadResult> {
  return runLoad(from, opts, false);
}

/** Slowloris: connections that each send a partial request header and one more header line every `intervalMs`, never finishing it. */
export function slowloris(from: LabHost, opts: LoadOptions & { intervalMs: number }): Promise<LoadResult> {
  return runLoad(from, opts, true, opts.intervalMs);
}
