// The config for commands that start often (status, bans, history) and the daemon: with no config file, or one of
// comments only (the shipped example as `synguard install` writes it), the built-in defaults from the JSON the build
// wrote (no zod, no yaml); any other file is validated by loadConfig as always.
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

/** YAML of nothing but comments and blank lines is an empty document: the defaults, as loadConfig would say. */
export function onlyComments(text: string): boolean {
  return text.split('\n').every((line) => {
    const t = line.trim();
    return t === '' || t.startsWith('#');
  });
}

function fileText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null; // missing or unreadable: loadConfig says which, with its own message
  }
}

/** loadConfig's answer, frozen the same way; the schema is loaded only when there is something to validate. */
export async function readConfig(path?: string): Promise<Config> {
  if (existsSync(DEFAULTS_FILE)) {
    const file = path ?? DEFAULT_CONFIG_PATH;
    const text = path === undefined && !existsSync(file) ? '' : fileText(file);
    if (text !== null && onlyComments(text)) return deepFreeze(JSON.parse(readFileSync(DEFAULTS_FILE, 'utf8')) as Config);
  }
  return (await import('./load.js')).loadConfig(path);
}
