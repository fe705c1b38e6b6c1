// What a process does when it ends early (SIGINT, SIGTERM, SIGHUP) or its output loses its reader (`… | head -1`;
// Ctrl-C on such a pipeline ends the reader too, so the next write fails with EPIPE):
// - a command ends, quietly, exit 0, after the teardowns registered here (a lab's). Before, an EPIPE exited at once
//   or crashed on stderr, leaving the lab's namespaces, its real server and a running defender behind;
// - the daemon outlives a closed output: the lines written there are lost, the defence is not (`synguard run | tee`).

type Teardown = () => Promise<void>;

const live = new Map<Teardown, string>();
let watching = false;
let outlive = false;
let ending: Promise<void> | undefined;

/** Ctrl-C, a kill, and the terminal gone (an SSH session dropped): each would end the process without its teardowns. */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const onSignal = (signal: NodeJS.Signals): void => void endEarly({ signal });

/**
 * Registers `fn` (named `what` in the one line printed) to run before an early end; returns its unregister. An early
 * end runs every registered teardown once, then exits 0 (the reader has gone) or re-raises the signal.
 */
export function beforeEarlyEnd(what: string, fn: Teardown): () => void {
  watchOutput();
  if (live.size === 0) for (const signal of SIGNALS) process.on(signal, onSignal);
  live.set(fn, what);
  // endEarly empties `live` before the teardowns run, so one that unregisters itself keeps the handlers in place
  return () => {
    if (!live.delete(fn) || live.size > 0) return;
    for (const signal of SIGNALS) process.removeListener(signal, onSignal);
  };
}

/**
 * From now on a closed stdout or stderr (EPIPE from a pipe, EIO from a terminal that hung up) ends the process quietly
 * with exit 0, after its teardowns; with `outlive` (the daemon) it costs the lines written there, never the process.
 */
export function watchOutput(opts: { readonly outlive?: boolean } = {}): void {
  if (opts.outlive) outlive = true;
  if (watching) return;
  watching = true;
  process.stdout.on('error', onStreamError);
  process.stderr.on('error', onStreamError);
}

/** Any stream error but the reader gone is a real fault. */
function onStreamError(err: NodeJS.ErrnoException): void {
  if (err.code !== 'EPIPE' && err.code !== 'EIO') throw err;
  if (!outlive) void endEarly({ code: 0 });
}

/**
 * Ends the process: runs the registered teardowns (once, however often this is called meanwhile), then exits with
 * `code`, or re-raises `signal` with its default action. Without teardowns, it exits at once.
 */
function endEarly(how: { readonly code: number } | { readonly signal: NodeJS.Signals }): Promise<void> {
  if (ending !== undefined) return ending;
  const jobs = [...live];
  live.clear();
  if (jobs.length > 0) say(`synguard: ${'signal' in how ? how.signal : 'output closed'}: tearing down ${jobs.map(([, what]) => what).join(', ')}\n`);
  ending = Promise.allSettled(jobs.map(([fn]) => fn())).then(() => {
    if ('code' in how) process.exit(how.code);
    for (const signal of SIGNALS) process.removeListener(signal, onSignal);
    process.kill(process.pid, how.signal);
  });
  return ending;
}

/** A line on stderr that cannot throw: that stream may be the closed pipe itself. */
function say(text: string): void {
  try {
    process.stderr.write(text);
  } catch {
    // nowhere to say it
  }
}
