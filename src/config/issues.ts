// Validation problems as one line each, naming the key, what was expected and what was found: the config loader's
// and the HTTP API's wording. Types only from zod, so a reader of these messages loads neither zod nor yaml.
import type { z } from 'zod';

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
export const keyText = (k: string): string => (/^[^\s:"']+$/.test(k) ? k : JSON.stringify(k));

/** One line per problem, each naming the key, what was expected and what was found. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], input: unknown): string {
  return issues
    .map((issue) => {
      const key = issue.path.map((p) => keyText(String(p))).join('.') || '(top level)';
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((k) => `${issue.path.length ? `${key}.` : ''}${keyText(k)}: unknown key`).join('; ');
      }
      // A bad key of a map (detection.capacity.slots): the key's own rule says what was expected.
      if (issue.code === 'invalid_key') return `${key}: ${issue.issues[0]?.message ?? issue.message}, found the key ${describe(String(issue.path.at(-1)))}`;
      const found = valueAt(input, issue.path);
      // A cross-key rule (clear < ban) may fire on a key left at its default: the message names the value then.
      if (found === undefined && issue.code === 'custom') return `${key}: ${issue.message} (default)`;
      return `${key}: ${issue.message}, found ${describe(found)}`;
    })
    .join('; ');
}
