// Query strings: each route names the keys it takes, with their defaults; any other key, or a bad value, is a 400
// naming the key (the config loader's wording). Plain checks, no schema library: every GET passes here, the
// dashboard's included, and answering them must not load zod into the daemon.
import { keyText } from '../config/issues.js';
import { HttpError } from './reply.js';

/** One query key: its value when absent, how its text reads, and what a bad one was expected to be. */
export interface Field<T> {
  readonly fallback: T;
  readonly expected: string;
  read(text: string): T | undefined;
}

/** A whole number written in digits only (no sign, no exponent), from `min` to `max`. */
export const wholeNumber = (min: number, max: number, fallback: number): Field<number> => ({
  fallback,
  expected: `expected an integer from ${min} to ${max}`,
  read: (text) => {
    if (!/^\d{1,10}$/.test(text)) return undefined;
    const n = Number(text);
    return n >= min && n <= max ? n : undefined;
  },
});

/** One of a few words. */
export const oneOf = <const T extends string>(values: readonly T[], fallback: T): Field<T> => ({
  fallback,
  expected: `expected one of ${values.map((v) => `"${v}"`).join(', ')}`,
  read: (text) => values.find((v) => v === text),
});

type Values<S> = { [K in keyof S]: S[K] extends Field<infer T> ? T : never };

/** The query read against `spec`: every key of it, defaults filled in; a 400 naming each unknown key and bad value. */
export function readQuery<S extends Record<string, Field<unknown>>>(query: Readonly<Record<string, string>>, spec: S): Values<S> {
  const problems = Object.keys(query).filter((key) => !Object.hasOwn(spec, key)).map((key) => `${keyText(key)}: unknown key`);
  const values: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(spec)) {
    const text = Object.hasOwn(query, key) ? query[key] : undefined;
    const value = text === undefined ? field.fallback : field.read(text);
    if (value === undefined) problems.push(`${key}: ${field.expected}, found ${JSON.stringify(text)} (string)`);
    values[key] = value;
  }
  if (problems.length > 0) throw new HttpError(400, problems.join('; '));
  return values as Values<S>;
}

/** A query that takes no key at all. */
export const NO_QUERY = {};
