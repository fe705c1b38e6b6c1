// Loads the configuration once: read → parse YAML → reject moved keys → apply defaults → validate strictly → freeze.
import { existsSync, readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { SynguardError } from '../core/errors.js';
import { rejectMovedKeys } from './moved.js';
import { configSchema, type Config } from './schema.js';

import { DEFAULT_CONFIG_PATH } from './path.js';

export { DEFAULT_CONFIG_PATH };

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) return `${String(value)} (number)`; // JSON would say null
  return `${JSON.stringify(value)} (${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value})`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const key of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

/** A key as a message shows it: quoted when it is empty or holds spaces, colons or quotes (`"": unknown key`). */
const keyText = (k: string): string => (/^[^\s:"']+$/.test(k) ? k : JSON.stringify(k));

/** One line per problem, each naming the key, what was expected and what was found. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], input: unknown): string {
  return issues
    .map((issue) => {
      const key = issue.path.map(String).join('.') || '(top level)';
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((k) => `${issue.path.length ? `${key}.` : ''}${keyText(k)}: unknown key`).join('; ');
      }
      const found = valueAt(input, issue.path);
      // A cross-key rule (clear < ban) may fire on a key left at its default: the message names the value then.
      if (found === undefined && issue.code === 'custom') return `${key}: ${issue.message} (default)`;
      return `${key}: ${issue.message}, found ${describe(found)}`;
    })
    .join('; ');
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
