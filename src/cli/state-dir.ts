// Where the CLI finds the daemon's state: --state-dir, else the config's defender.stateDir (default /var/lib/synguard).
// The config's schema and SQLite are imported when a command needs them, not when it is registered (issue 11).
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { readConfig } from '../config/read.js';
import type { Config } from '../config/schema.js';
import type { Store } from '../store/index.js';

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

/**
 * Whether there may be a store there, told without loading SQLite: false only when the database file is certainly
 * absent; a directory this user cannot read says true, so that opening it reports the permission error.
 */
export function hasStore(stateDir: string): boolean {
  try {
    statSync(join(stateDir, 'synguard.db'));
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

export async function openState(opts: StateOptions): Promise<{ config: Config; stateDir: string; store: Store }> {
  const config = await readConfig(opts.config);
  const stateDir = opts.stateDir ?? config.defender.stateDir;
  const { openStore } = await import('../store/open.js');
  return { config, stateDir, store: openStore(stateDir) };
}

/**
 * For read-only commands: the store if a database exists, else null after one line on stderr saying so. Never
 * creates the state directory or a database (and loads SQLite only when there is one).
 */
export async function readState(opts: StateOptions): Promise<{ config: Config; stateDir: string; store: Store | null }> {
  const config = await readConfig(opts.config);
  const stateDir = opts.stateDir ?? config.defender.stateDir;
  const store = hasStore(stateDir) ? (await import('../store/open.js')).openStoreIfPresent(stateDir) : null;
  if (store === null) process.stderr.write(`synguard: no store in ${stateDir} yet (no daemon has run there): nothing recorded\n`);
  return { config, stateDir, store };
}
