// What a route returns (a status and a JSON body, or text) and the one error type the HTTP layer answers with.
import type { ServerResponse } from 'node:http';
import { SynguardError } from '../core/errors.js';

export interface Reply {
  readonly status: number;
  /** Serialised as JSON unless `type` says otherwise (then it must be a string). */
  readonly body: unknown;
  readonly type?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A 4xx answer: the status and a one-line message for `{error}`. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

export const json = (status: number, body: unknown): Reply => ({ status, body });

/** Turns anything thrown into `{error}`: input errors are 400, the rest 500 without details (never a stack). */
export function errorReply(err: unknown, log?: (line: string) => void): Reply {
  if (err instanceof HttpError) return { status: err.status, body: { error: err.message }, headers: err.headers };
  if (err instanceof SynguardError && err.code === 'input') return json(400, { error: err.message });
  log?.(`http: internal error: ${err instanceof Error ? err.message : String(err)}`);
  return json(500, { error: 'internal error (see the daemon log)' });
}

/** Writes a reply; JSON bodies end with a newline so curl output reads well. */
export function send(res: ServerResponse, reply: Reply): void {
  const text = reply.type === undefined ? `${JSON.stringify(reply.body)}\n` : String(reply.body);
  res.writeHead(reply.status, {
    'content-type': reply.type ?? 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...reply.headers,
  });
  res.end(text);
}
