// Loads the configuration once: read → parse YAML → reject moved keys → apply defaults → validate strictly → freeze.
import { existsSync, readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { SynguardError } from '../core/errors.js';
import { formatIssues } from './issues.js';
import { rejectMovedKeys } from './moved.js';
import { configSchema, type Config } from './schema.js';

import { DEFAULT_CONFIG_PATH } from './path.js';

export { DEFAULT_CONFIG_PATH, formatIssues };

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Validates a plain object (already parsed) and returns the frozen config. An old key names its new place. */
export function configFrom(input: unknown, source = 'config'): Config {
  rejectMovedKeys(input, source);
  const result = configSchema.safeParse(input ?? {});
  if (!result.success) throw new SynguardError('config', `${source}: ${formatIssues(result.error.issues, input)}`);
  return deepFreeze(result.data);
}

/** Parses YAML text into a frozen config. */
export function parseConfig(text: string, source = 'config'): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter, logLevel: 'error' });
  const [err] = doc.errors;
  if (err) {
    const { line, col } = lineCounter.linePos(err.pos[0]);
    throw new SynguardError('config', `${source}: YAML error at line ${line}, column ${col}: ${err.message.split('\n')[0] ?? ''}`);
  }
  let input: unknown;
  try {
    input = doc.toJS(); // aliases expanding past the YAML library's limit (a "billion laughs" file) throw here
  } catch (err) {
    throw new SynguardError('config', `${source}: YAML error: ${(err as Error).message}`);
  }
  return configFrom(input, source);
}

/**
 * Loads the config file. With no path given, the default path is used if it exists, and the built-in
 * defaults otherwise. A path given explicitly must exist.
 */
export function loadConfig(path?: string): Config {
  const file = path ?? DEFAULT_CONFIG_PATH;
  if (!existsSync(file)) {
    if (path !== undefined) throw new SynguardError('config', `config file ${path} does not exist`);
    return configFrom({});
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SynguardError('config', `cannot read config file ${file}: ${(err as Error).message}`);
  }
  return parseConfig(text, file);
}
