// The `notify` section: webhooks, command hooks, the ban batch window and retries. Validated strictly (docs/notify.md).
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { duration } from './duration.js';

const SECOND = 1000, MINUTE = 60 * SECOND;
const int = (min: number, max: number) => z.number().int().min(min).max(max);

/** An absolute http:// or https:// URL, without credentials in it (put them in a header). */
const webhookUrl = z.string({ error: 'expected an http:// or https:// URL' }).refine((text) => {
  try {
    const u = new URL(text);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}, { message: 'expected an http:// or https:// URL without user:password (use headers for credentials)' });

/** Header names are HTTP tokens; values are one line of visible text. */
const headers = z.record(
  z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/, 'expected a header name (letters, digits, "-")'),
  z.string().max(4096).regex(/^[\t\x20-\x7e\x80-\uffff]*$/, 'expected a header value on one line'),
);

export const webhookSchema = z.strictObject({
  url: webhookUrl,
  /** Sent with every POST, e.g. { Authorization: "Bearer …" }. */
  headers: headers.default({}),
  /** Per attempt: the request is abandoned after this long and retried. */
  timeout: duration(SECOND, MINUTE).prefault('5s'),
});

export const commandSchema = z.strictObject({
  /** argv: an absolute program path, then its arguments; no shell is involved. */
  run: z.array(z.string().min(1).max(4096).refine((a) => !a.includes('\0'), { message: 'expected no NUL byte' }))
    .min(1, 'expected [program, args...] with at least the program')
    .max(64)
    .refine((argv) => isAbsolute(argv[0] ?? ''), { message: 'expected an absolute program path first, e.g. ["/usr/local/bin/page-me", "--urgent"]' }),
  /** The program is killed after this long (its failure is logged). */
  timeout: duration(SECOND, 10 * MINUTE).prefault('10s'),
});

export const notifySchema = z.strictObject({
  webhooks: z.array(webhookSchema).max(16).default([]),
  commands: z.array(commandSchema).max(16).default([]),
  /** Bans are gathered for this long and sent as one message. */
  banBatch: duration(SECOND, 10 * MINUTE).prefault('10s'),
  /** A ban message lists at most this many values (the count is always complete). */
  banSample: int(0, 1000).default(20),
  /** Retries of a webhook after its first failed attempt (exponential back-off from 1 s, at most 5 min apart). */
  retries: int(0, 20).default(5),
  /** Messages waiting per webhook or command; when full the oldest is dropped and logged. */
  queue: int(1, 10_000).default(100),
}).prefault({});

export type NotifyConfig = z.infer<typeof notifySchema>;
export type WebhookConfig = NotifyConfig['webhooks'][number];
export type CommandConfig = NotifyConfig['commands'][number];
