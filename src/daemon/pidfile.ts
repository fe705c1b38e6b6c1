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
  writeFileSync(path, `${process.pid}\n`, { mode: 0o644 });
  return () => {
    try {
      if (readFileSync(path, 'utf8').trim() === String(process.pid)) rmSync(path);
    } catch {
      /* already gone */
    }
  };
}
