// The seam where the defender (`synguard run`) plugs into a lab run; until it exists, asking for it fails plainly.
import { SynguardError } from '../core/errors.js';

export const DEFENDER_MISSING = 'the defender (synguard run) is not built yet, so --defend cannot start it; run with --no-defend';

/** One thing the defender did, stamped with epoch ms. */
export interface DefenderEvent {
  atEpochMs: number;
  kind: string;
  value: string;
}

export interface RunningDefender {
  /** Everything it did so far. */
  actions(): DefenderEvent[];
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

/** The built-in launcher: none yet. Returns null so a run can refuse before it creates anything. */
export function builtinDefender(): DefenderLauncher | null {
  return null;
}

/** The launcher to use, or a SynguardError saying the defender does not exist yet. */
export function requireDefender(launcher: DefenderLauncher | null = builtinDefender()): DefenderLauncher {
  if (launcher === null) throw new SynguardError('unsupported', DEFENDER_MISSING);
  return launcher;
}
