// The single place that spawns processes. Arguments are always arrays; no shell is ever involved.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { SynguardError } from './errors.js';

export interface ExecResult {
  readonly command: string;
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly failed: boolean;
  readonly timedOut: boolean;
  /** Set when the program could not be started at all (e.g. ENOENT: not installed). */
  readonly spawnError?: string;
}

export interface ExecOptions {
  /** Run inside this network namespace (via `ip netns exec`). */
  readonly netns?: string;
  readonly input?: string;
  readonly timeoutMs?: number;
  readonly maxBufferBytes?: number;
  readonly env?: NodeJS.ProcessEnv;
}

/** An exec function; modules take one as an option so tests can pass their own. */
export type Exec = (file: string, args: readonly string[], options?: ExecOptions) => Promise<ExecResult>;

function argv(file: string, args: readonly string[], netns?: string): [string, string[]] {
  return netns ? ['ip', ['netns', 'exec', netns, file, ...args]] : [file, [...args]];
}

/** Runs a program to completion and returns what happened as data; never throws. */
export const exec: Exec = (file, args, options = {}) => {
  const [cmd, cmdArgs] = argv(file, args, options.netns);
  const command = [cmd, ...cmdArgs].join(' ');
  return new Promise((resolve) => {
    const child = execFile(
      cmd,
      cmdArgs,
      {
        timeout: options.timeoutMs ?? 30_000,
        maxBuffer: options.maxBufferBytes ?? 256 * 1024 * 1024,
        env: options.env ?? process.env,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        const err = error as (NodeJS.ErrnoException & { killed?: boolean; signal?: string | null; code?: number | string }) | null;
        const spawnError = typeof err?.code === 'string' ? err.code : undefined;
        const exitCode = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        resolve({
          command,
          exitCode,
          stdout,
          stderr,
          failed: err !== null,
          timedOut: err?.killed === true && err.signal === 'SIGTERM',
          ...(spawnError ? { spawnError } : {}),
        });
      },
    );
    // A program that exits without reading its stdin makes the write fail with EPIPE: its exit code tells the story.
    child.stdin?.on('error', () => undefined);
    // Without input, stdin is closed at once: a program that reads it sees its end, and never waits until the timeout.
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
};

/** Like Exec, but stdout goes to `onStdout` chunk by chunk as it comes, and the result's stdout is empty. */
export type ExecStream = (file: string, args: readonly string[], onStdout: (chunk: Buffer) => void, options?: Pick<ExecOptions, 'netns' | 'timeoutMs' | 'env'>) => Promise<ExecResult>;

/**
 * Runs a program to completion, handing its stdout over as it comes: a large output (a binary socket dump) is parsed
 * while the program still writes it, and never held whole. stderr is kept (its last 64 KiB). Never throws.
 */
export const execStream: ExecStream = (file, args, onStdout, options = {}) => {
  const [cmd, cmdArgs] = argv(file, args, options.netns);
  const command = [cmd, ...cmdArgs].join(' ');
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env, timeout: options.timeoutMs ?? 30_000 });
    let stderr = '';
    let spawnError: string | undefined;
    child.stdout.on('data', onStdout);
    child.stderr.setEncoding('utf8').on('data', (text: string) => { stderr = (stderr + text).slice(-65_536); });
    child.once('error', (err: NodeJS.ErrnoException) => { spawnError = err.code ?? 'spawn'; });
    child.once('close', (code, signal) => {
      resolve({
        command,
        exitCode: code,
        stdout: '',
        stderr,
        failed: code !== 0 || spawnError !== undefined,
        timedOut: signal === 'SIGTERM',
        ...(spawnError ? { spawnError } : {}),
      });
    });
  });
};

/** Like exec, but throws a SynguardError naming the command and its stderr when it fails. */
export async function execOrThrow(file: string, args: readonly string[], options?: ExecOptions, run: Exec = exec): Promise<string> {
  const result = await run(file, args, options);
  if (result.spawnError === 'ENOENT') {
    throw new SynguardError('missing-tool', `${file} is not installed`);
  }
  if (result.failed) {
    const detail = result.stderr.trim().split('\n').slice(-3).join(' / ') || `exit code ${String(result.exitCode)}`;
    throw new SynguardError('exec', `${result.command} failed: ${detail}`);
  }
  return result.stdout;
}

export interface Spawned {
  readonly child: ChildProcess;
  /** Resolves with the exit code (or null when killed by a signal). */
  readonly exited: Promise<number | null>;
}

/** Starts a long-running program (a server, a flood generator) and hands back the child. */
export function spawnLong(file: string, args: readonly string[], options: Pick<ExecOptions, 'netns' | 'env'> & { stdio?: 'pipe' | 'ignore' } = {}): Spawned {
  const [cmd, cmdArgs] = argv(file, args, options.netns);
  const child = spawn(cmd, cmdArgs, { stdio: options.stdio ?? 'pipe', env: options.env ?? process.env });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  return { child, exited };
}

export interface BoundedRun {
  /** stdout and stderr as they came. */
  readonly output: string;
  /** The exit code, or null when a signal ended it (then `signal`). */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Still running at `interruptMs`, so it got SIGINT. */
  readonly interrupted: boolean;
}

/**
 * Runs a program that ends by itself, bounded: SIGINT at `interruptMs` if given and it still runs (hping3 and wrk then
 * print what they did, and end) and every second after while it does (a program still setting up when the first came,
 * as a starved wrk may be, meets a later one), SIGKILL at `killMs`. Resolves once it has exited.
 */
export async function runBounded(file: string, args: readonly string[], o: { readonly netns?: string; readonly interruptMs?: number; readonly killMs: number }): Promise<BoundedRun> {
  const { child, exited } = spawnLong(file, args, o.netns === undefined ? {} : { netns: o.netns });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  let interrupted = false;
  let again: NodeJS.Timeout | undefined;
  const interrupt = (): void => {
    if (child.kill('SIGINT')) interrupted = true;
  };
  const soft = o.interruptMs === undefined ? undefined : setTimeout(() => {
    interrupt();
    again = setInterval(interrupt, 1000);
  }, o.interruptMs);
  const hard = setTimeout(() => child.kill('SIGKILL'), o.killMs);
  const code = await exited;
  clearTimeout(soft);
  clearInterval(again);
  clearTimeout(hard);
  return { output, code, signal: child.signalCode, interrupted };
}
