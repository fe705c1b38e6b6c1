// Runs the legitimate-client probe inside the client namespace and collects one sample per attempt.
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { spawnLong } from '../core/exec.js';

/** One legitimate request: when it started (epoch ms), whether it succeeded, and how long connect took. */
export interface Sample {
  t: number;
  src: string | null;
  ok: boolean;
  connectMs: number | null;
  totalMs: number | null;
  error: string | null;
}

export interface ProbeOptions {
  target: string;
  port: number;
  /** Requests per second. */
  rate: number;
  durationMs: number;
  timeoutMs: number;
  /** Source addresses to rotate through (must be on the client); empty = the route's default. */
  sources?: string[];
  /** Epoch ms of the first request; default now. */
  startAt?: number;
}

export interface RunningProbe {
  /** Resolves with every sample once the last request has settled. */
  readonly done: Promise<Sample[]>;
  stop(): void;
}

/** Starts the probe in namespace `ns`. */
export function startProbe(ns: string, opts: ProbeOptions): RunningProbe {
  const script = fileURLToPath(new URL('./probe-client.js', import.meta.url));
  const cfg = { ...opts, sources: opts.sources ?? [], startAt: opts.startAt ?? Date.now() };
  const { child, exited } = spawnLong(process.execPath, [script, JSON.stringify(cfg)], { netns: ns });
  const samples: Sample[] = [];
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout! });
  const finished = new Promise<void>((resolve) => {
    lines.on('line', (line) => {
      let parsed: Sample | { done: true };
      try {
        parsed = JSON.parse(line) as Sample | { done: true };
      } catch {
        return; // not one of ours (a runtime warning); ignore
      }
      if ('done' in parsed) {
        child.kill('SIGTERM');
        resolve();
      } else samples.push(parsed);
    });
    void exited.then(() => resolve());
  });
  const hardStop = setTimeout(() => child.kill('SIGKILL'), (cfg.startAt - Date.now()) + opts.durationMs + opts.timeoutMs + 10_000);
  const done = finished.then(async () => {
    clearTimeout(hardStop);
    const code = await exited;
    if (samples.length === 0 && code !== 0 && code !== null && stderr) throw new Error(`probe in ${ns} failed: ${stderr.trim()}`);
    return samples;
  });
  done.catch(() => undefined); // awaited later by the caller; never an unhandled rejection meanwhile
  return { done, stop: () => child.kill('SIGKILL') };
}
