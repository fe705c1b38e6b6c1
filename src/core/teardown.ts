// What a process does when it ends early (SIGINT, SIGTERM) or its output loses its reader (`… | head -1`; Ctrl-C on
// such a pipeline ends the reader too, so the next write fails with EPIPE):
// - a command ends, quietly, exit 0, after the teardowns registered here (a lab's). Before, an EPIPE exited at once
//   or crashed on stderr, leaving the lab's namespaces, its real server and a running defender behind;
// - the daemon outlives it: lines written to a closed pipe are lost, the defence is not (`synguard run | tee`).

type Teardown = () => Promise<void>;

const live = new Map<Teardown, string>();
let installed = false;
let outlive = false;
let ending: Promise<void> | undefined;
/** Set before the teardowns start: one that unregisters itself must not take the handlers away mid-teardown. */
let ended = false;

/**
 * Registers `fn` (named `what` in the one line printed) to run before an early end; returns its unregister. An early
 * end runs every registered teardown once, then exits 0 (the reader has gone) or re-raises the signal.
 */
export function beforeEarlyEnd(what: string, fn: Teardown): () => void {
  live.set(fn, what);
  install();
  return () => {
    live.delete(fn);
    if (live.size === 0 && !ended) uninstall();
  };
}

/**
 * Ends the process: runs the registered teardowns (once, however often this is called meanwhile), then exits with
 * `code`, or re-raises `signal` with its default action. Without teardowns, it exits at once.
 */
export function endEarly(how: { readonly code: number } | { readonly signal: NodeJS.Signals }): Promise<void> {
  if (ending !== undefined) return ending;
  ended = true;
  const jobs = [...live];
  live.clear();
  if (jobs.length === 0) return finish(how);
  const cause = 'signal' in how ? how.signal : 'output closed';
  say(`synguard: ${cause}: tearing down ${jobs.map(([, what]) => what).join(', ')}\n`);
  ending = Promise.allSettled(jobs.map(([fn]) => fn())).then(() => finish(how));
  return ending;
}

function finish(how: { readonly code: number } | { readonly signal: NodeJS.Signals }): Promise<void> {
  if ('code' in how) process.exit(how.code);
  uninstall();
  process.kill(process.pid, how.signal);
  return new Promise(() => undefined); // the signal ends the process
}

/** A line on stderr that cannot throw: that stream may be the closed pipe itself. */
function say(text: string): void {
  try {
    process.stderr.write(text);
  } catch {
    // nowhere to say it
  }
}

/** The reader of stdout or stderr has gone: a command ends (exit 0, after its teardowns); the daemon carries on. */
export function outputClosed(): void {
  if (!outlive) void endEarly({ code: 0 });
}

/** For the daemon: from now on a closed stdout or stderr costs the lines written there, never the process. */
export function outliveClosedOutput(): void {
  outlive = true;
  for (const stream of [process.stdout, process.stderr]) if (!stream.listeners('error').includes(onStreamError)) stream.on('error', onStreamError);
}

const onSignal = (signal: NodeJS.Signals): void => void endEarly({ signal });

/** Any stream error but EPIPE is a real fault. */
function onStreamError(err: NodeJS.ErrnoException): void {
  if (err.code !== 'EPIPE') throw err;
  outputClosed();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.stdout.on('error', onStreamError);
  process.stderr.on('error', onStreamError);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.removeListener('SIGINT', onSignal);
  process.removeListener('SIGTERM', onSignal);
  if (outlive) return;
  process.stdout.removeListener('error', onStreamError);
  process.stderr.removeListener('error', onStreamError);
}
