// Tears down live labs on SIGINT/SIGTERM, then lets the signal take its normal course.
interface Tearable {
  teardown(): Promise<void>;
}

const live = new Set<Tearable>();
let installed = false;

function onSignal(signal: NodeJS.Signals): void {
  const labs = [...live];
  live.clear();
  process.stderr.write(`synguard lab: ${signal}: tearing down ${labs.length} lab(s)\n`);
  void Promise.allSettled(labs.map((l) => l.teardown())).then(() => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    installed = false;
    process.kill(process.pid, signal);
  });
}

/** Registers a lab for teardown on SIGINT/SIGTERM. */
export function trackOnSignal(lab: Tearable): void {
  live.add(lab);
  if (!installed) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    installed = true;
  }
}

/** Forgets a lab (it is being torn down normally); removes the handlers when none is left. */
export function untrackOnSignal(lab: Tearable): void {
  live.delete(lab);
  if (live.size === 0 && installed) {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    installed = false;
  }
}
