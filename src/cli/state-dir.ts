// Where the CLI finds the daemon's state: --state-dir, else the config's defender.stateDir (default /var/lib/synguard).
import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { openStore, openStoreIfPresent, type Store } from '../store/index.js';

export interface StateOptions {
  stateDir?: string;
  config?: string;
}

/** Adds the two options every command on the store takes. */
export function withStateOptions(cmd: Command): Command {
  return cmd
    .option('--state-dir <dir>', 'state directory (default: defender.stateDir from the config, /var/lib/synguard)')
    .option('-c, --config <file>', 'config file (default /etc/synguard/config.yaml if it exists)');
}

export function openState(opts: StateOptions): { config: Config; stateDir: string; store: Store } {
  const config = loadConfig(opts.config);
  const stateDir = opts.stateDir ?? config.defender.stateDir;
  return { config, stateDir, store: openStore(stateDir) };
}

/**
 * For read-only commands: the store if a database exists, else null after one line on stderr saying so. Never
 * creates the state directory or a database.
 */
export function readState(opts: StateOptions): { config: Config; stateDir: string; store: Store | null } {
  const config = loadConfig(opts.config);
  const stateDir = opts.stateDir ?? config.defender.stateDir;
  const store = openStoreIfPresent(stateDir);
  if (store === null) process.stderr.write(`synguard: no store in ${stateDir} yet (no daemon has run there): nothing recorded\n`);
  return { config, stateDir, store };
}
