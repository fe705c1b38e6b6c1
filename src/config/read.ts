// The config for commands that start often (status, bans, history): with no config file, the built-in defaults from
// the JSON the build wrote (no zod, no yaml); with one, loadConfig validates it as always.
import { existsSync, readFileSync } from 'node:fs';
import type { Config } from './schema.js';
import { DEFAULTS_FILE } from './defaults-file.js';
import { DEFAULT_CONFIG_PATH } from './path.js';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** loadConfig's answer, frozen the same way; the schema is loaded only when there is a file to validate. */
export async function readConfig(path?: string): Promise<Config> {
  if (path === undefined && !existsSync(DEFAULT_CONFIG_PATH) && existsSync(DEFAULTS_FILE)) {
    return deepFreeze(JSON.parse(readFileSync(DEFAULTS_FILE, 'utf8')) as Config);
  }
  return (await import('./load.js')).loadConfig(path);
}
