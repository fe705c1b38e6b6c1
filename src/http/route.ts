// The shape of a route in the API's table: a path pattern and its methods, each open or behind the token. Types only,
// so that route providers (the dashboard, features) import no router.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Reply } from './reply.js';

export interface Call {
  readonly req: IncomingMessage;
  readonly query: Record<string, string>;
  /** Captured path segments, still URL-encoded. */
  readonly params: readonly string[];
}

export interface Method {
  readonly auth: boolean;
  run(call: Call): Reply | Promise<Reply>;
}

export interface Route {
  readonly path: RegExp;
  readonly methods: Readonly<Record<string, Method>>;
}

/** A reply that takes over the response (Server-Sent Events). */
export interface StreamReply extends Reply {
  stream(req: IncomingMessage, res: ServerResponse): void;
}
