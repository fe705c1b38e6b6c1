// The real command tree: the one program.ts builds for `synguard --help`, every command loaded, nothing run.
import type { Command } from 'commander';
import { buildProgram } from '../program.js';

let loaded: Promise<Command> | null = null;

/** The `synguard` program exactly as the CLI builds it, without running any command. */
export function loadProgram(): Promise<Command> {
  loaded ??= buildProgram();
  return loaded;
}
