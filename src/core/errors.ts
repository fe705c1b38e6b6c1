// The one error type synguard raises on purpose: a code, a one-line message, and the exit status it maps to.

export type ErrorCode =
  | 'usage' // bad flags or arguments
  | 'unsupported' // not Linux, no /proc
  | 'permission' // needs root or CAP_NET_ADMIN
  | 'config' // invalid configuration
  | 'input' // malformed data given by the user
  | 'missing-tool' // a required program is not installed
  | 'exec'; // a spawned program failed

export class SynguardError extends Error {
  override readonly name = 'SynguardError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Exit status for the CLI: 2 for anything the caller can fix, 1 for failures at run time. */
  get exitCode(): number {
    return this.code === 'exec' ? 1 : 2;
  }
}

/** Turns a Node system error (ENOENT, EACCES, …) on a path into a SynguardError with a one-line message. */
export function fromSystemError(err: unknown, what: string): SynguardError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM') {
    return new SynguardError('permission', `permission denied reading ${what}: run as root or with CAP_NET_ADMIN`, { cause: err });
  }
  if (code === 'ENOENT') {
    return new SynguardError('unsupported', `${what} does not exist: synguard needs Linux with /proc mounted`, { cause: err });
  }
  return new SynguardError('exec', `cannot read ${what}: ${(err as Error).message}`, { cause: err });
}
