// The daemon's pid file in its state directory: how the CLI knows whether a daemon will apply its changes.
import { readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alive } from '../core/alive.js';
import { SynguardError } from '../core/errors.js';

export { alive };

export const PID_FILE = 'synguard.pid';
/** Touched after every completed tick: its mtime is the last tick's time (`status` shows its age). */
export const TICK_FILE = 'synguard.tick';


/** The pid of the daemon running on this state directory, or null. */
export function runningDaemon(stateDir: string): number | null {
  let text: string;
  try {
    text = readFileSync(join(stateDir, PID_FILE), 'utf8');
  } catch {
    return null;
  }
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid) ? pid : null;
}

/** Records a completed tick (one utimes; never fails the tick: a full or read-only disk only loses the mark). */
export function markTick(stateDir: string, now: number): void {
  const path = join(stateDir, TICK_FILE);
  try {
    utimesSync(path, now / 1000, now / 1000);
  } catch {
    try {
      writeFileSync(path, '', { mode: 0o644 });
      utimesSync(path, now / 1000, now / 1000);
    } catch {
      /* the mark is lost, the defence is not */
    }
  }
}

/** When the daemon last completed a tick (ms), or null when it never did (or the mark is gone). */
export function lastTick(stateDir: string): number | null {
  try {
    return statSync(join(stateDir, TICK_FILE)).mtimeMs;
  } catch {
    return null;
  }
}

/** Claims the state directory for this process; refuses when another daemon holds it. */
export function claimPidFile(stateDir: string): () => void {
  const other = runningDaemon(stateDir);
  if (other !== null) throw new SynguardError('usage', `another synguard daemon (pid ${other}) already runs on ${stateDir}`);
  const path = join(stateDir, PID_FILE);
  try {
    writeFileSync(path, `${process.pid}\n`, { mode: 0o644 });
  } catch (err) {
    // A full or read-only disk must not keep the defence from starting (docs/reliability.md): the CLI then sees no
    // daemon and says its changes wait for one.
    if (!['ENOSPC', 'EROFS', 'EDQUOT', 'EIO'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
  }
  return () => {
    try {
      if (readFileSync(path, 'utf8').trim() === String(process.pid)) {
        rmSync(path);
        rmSync(join(stateDir, TICK_FILE), { force: true });
      }
    } catch {
      /* already gone */
    }
  };
}
