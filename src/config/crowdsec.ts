// The `crowdsec` section: a CrowdSec Local API to publish bans to (push) and to take decisions from (pull).
// Validated strictly (docs/fleet.md). Secrets come inline or from a file (read when the daemon starts).
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { duration } from './duration.js';

const SECOND = 1000, HOUR = 3_600_000;
const int = (min: number, max: number) => z.number().int().min(min).max(max);

const lapiUrl = z.string({ error: 'expected the Local API URL, e.g. http://127.0.0.1:8080/' }).refine((text) => {
  try {
    const u = new URL(text);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}, { message: 'expected an http:// or https:// URL without user:password, e.g. http://127.0.0.1:8080/' });

const secret = z.string().min(1).max(4096).regex(/^[\x21-\x7e]+$/, 'expected printable characters without spaces');
const secretFile = z.string().refine(isAbsolute, { message: 'expected an absolute path' });

/** Exactly one of `inline` or `file` must be set (the message names both keys). */
function oneOf<T extends z.ZodRawShape>(shape: T, inline: string, file: string) {
  return z.strictObject(shape).refine((v: Record<string, unknown>) => (v[inline] === undefined) !== (v[file] === undefined), {
    message: `expected exactly one of ${inline} or ${file}`,
  });
}

export const crowdsecSchema = z.strictObject({
  url: lapiUrl,
  /** synguard as a CrowdSec machine (watcher): every ban is published as an alert with its decision. */
  push: oneOf({
    login: z.string().min(1).max(256).regex(/^[\x21-\x7e]+$/, 'expected a machine name without spaces'),
    password: secret.optional(),
    passwordFile: secretFile.optional(),
    /** Alerts per POST /v1/alerts. */
    batch: int(1, 1000).default(100),
  }, 'password', 'passwordFile').optional(),
  /** synguard as a bouncer: the LAPI's ban decisions (Ip and Range) are enforced with origin 'crowdsec'. */
  pull: oneOf({
    apiKey: secret.optional(),
    apiKeyFile: secretFile.optional(),
    every: duration(SECOND, HOUR).prefault('10s'),
    /** At most this many pulled decisions are held at once; the rest are refused (and counted). */
    max: int(1, 1_000_000).default(100_000),
  }, 'apiKey', 'apiKeyFile').optional(),
}).refine((v) => v.push !== undefined || v.pull !== undefined, { message: 'expected push, pull or both' });

export type CrowdsecConfig = z.infer<typeof crowdsecSchema>;
export type PushConfig = NonNullable<CrowdsecConfig['push']>;
export type PullConfig = NonNullable<CrowdsecConfig['pull']>;
