// The daemon's pid file in its state directory: how the CLI knows whether a daemon will apply its changes.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SynguardError } from '../core/errors.js';

export const PID_FILE = 'synguard.pid';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

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
      if (readFileSync(path, 'utf8').trim() === String(process.pid)) rmSync(path);
    } catch {
      /* already gone */
    }
  };
}
