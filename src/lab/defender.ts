// The seam where the defender (`synguard run`) plugs into a lab run: started in the victim namespace with its own state.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { spawnLong } from '../core/exec.js';
import { SynguardError } from '../core/errors.js';

export const DEFENDER_MISSING = 'no defender launcher is available, so --defend cannot start one; run with --no-defend';

/** One thing the defender did, stamped with epoch ms. */
export interface DefenderEvent {
  atEpochMs: number;
  kind: string;
  value: string;
}

export interface RunningDefender {
  /** Everything it did so far. */
  actions(): DefenderEvent[];
  /**
   * Stops it in place (SIGSTOP): its rules and sets stay in the kernel and it does nothing more, so a bench can tell
   * the rules' cost from the daemon's. `stop` resumes it first.
   */
  pause(): void;
  stop(): Promise<void>;
}

export interface DefenderStart {
  /** The victim namespace the defender runs in. */
  ns: string;
  config: Record<string, unknown>;
  /** A fresh state directory for this run only. */
  stateDir: string;
}

/** Starts a defender inside the victim namespace; resolves once it is watching. */
export type DefenderLauncher = (opts: DefenderStart) => Promise<RunningDefender>;

/**
 * The defender's config with `port: slots` declared under detection.capacity.slots, as the admin of a server that
 * sheds instead of queuing would declare it (docs/lab.md); slots the scenario declares itself win. Pure.
 */
export function withDeclaredSlots(config: Record<string, unknown>, port: number, slots: number): Record<string, unknown> {
  const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const detection = obj(config['detection']), capacity = obj(detection['capacity']);
  return { ...config, detection: { ...detection, capacity: { ...capacity, slots: { [String(port)]: slots, ...obj(capacity['slots']) } } } };
}

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const ACTIONS = new Set(['ban', 'ban-extended', 'spared', 'harden', 'restore', 'spoofing-guard', 'sockets-killed', 'commit-failed']);

/**
 * How long the launcher waits after the daemon's first reconcile before the run starts: past its start-up (loading
 * the HTTP API, compiling its first ticks), which would otherwise fall into the run's baseline window and bill a
 * one-off cost as a standing one (issue 14 in docs/benchmarks.md: round 15 saw up to 1.3× p99 in the first mode
 * measured after a start; round 17's pairs could not tell the difference either way).
 */
export const SETTLE_MS = 4000;

/** The built-in launcher: `synguard run` in the victim namespace, its JSON log lines read back as actions. */
export function builtinDefender(settleMs = SETTLE_MS): DefenderLauncher | null {
  return async ({ ns, config, stateDir }) => {
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    const configPath = join(stateDir, 'config.yaml');
    writeFileSync(configPath, JSON.stringify(config)); // JSON is YAML
    const { child, exited } = spawnLong(process.execPath, [CLI, 'run', '--state-dir', stateDir, '--config', configPath], { netns: ns });
    const actions: DefenderEvent[] = [];
    let errors = '';
    let ready: () => void = () => undefined;
    const watching = new Promise<void>((resolve) => { ready = resolve; });
    const logFile = join(stateDir, 'log.jsonl'); // everything the defender said, for reading after the run
    createInterface({ input: child.stdout! }).on('line', (line) => {
      appendFileSync(logFile, line + '\n');
      let e: { time?: string; event?: string; value?: string; changes?: string[]; reason?: string; count?: number; sample?: string[] };
      try {
        e = JSON.parse(line) as typeof e;
      } catch {
        return;
      }
      if (e.event === 'reconcile') ready();
      if (e.event && ACTIONS.has(e.event)) {
        actions.push({ atEpochMs: Date.parse(e.time ?? '') || Date.now(), kind: e.event, value: e.sample ? `${e.sample.join(', ')} in ${e.value ?? ''}` : e.value ?? e.changes?.join(', ') ?? e.reason ?? (e.count === undefined ? '' : String(e.count)) });
      }
    });
    child.stderr?.on('data', (d: Buffer) => { errors += d.toString(); });
    const failed = exited.then((code) => { throw new SynguardError('exec', `synguard run exited (${String(code)}) before the run began: ${errors.trim().split('\n').pop() ?? ''}`); });
    await Promise.race([watching, failed]);
    await Promise.race([new Promise((r) => setTimeout(r, settleMs)), failed]);
    void failed.catch(() => undefined);
    let paused = false;
    return {
      actions: () => [...actions],
      pause: () => {
        paused = child.kill('SIGSTOP');
        if (paused) actions.push({ atEpochMs: Date.now(), kind: 'paused', value: 'SIGSTOP: its rules and sets stay, it does nothing more' });
      },
      stop: async () => {
        if (paused) child.kill('SIGCONT');
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      },
    };
  };
}

/** The launcher to use, or a SynguardError saying there is none. */
export function requireDefender(launcher: DefenderLauncher | null = builtinDefender()): DefenderLauncher {
  if (launcher === null) throw new SynguardError('unsupported', DEFENDER_MISSING);
  return launcher;
}
