// The HTTP handler: routes a request, checks the token where needed, and answers JSON; every error is `{error}`.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { requireToken } from './auth.js';
import type { HttpDeps } from './deps.js';
import { createMetrics, type Metrics } from './metrics.js';
import { errorReply, HttpError, send, type Reply } from './reply.js';
import { routes } from './routes.js';
import type { StreamReply } from './route.js';


/** A reply that writes the response itself (a Server-Sent Events stream): `send` is skipped. */

const isStream = (reply: Reply): reply is StreamReply => typeof (reply as Partial<StreamReply>).stream === 'function';

export interface App {
  /** A node:http request listener: `createServer(app.handle)`. */
  readonly handle: RequestListener;
  readonly metrics: Metrics;
}

async function dispatch(req: IncomingMessage, deps: HttpDeps, table: ReturnType<typeof routes>): Promise<Reply> {
  const raw = req.url ?? '/';
  let url: URL;
  try {
    // Origin-form (`/path`) is read against a dummy origin: `new URL('//', base)` would read `//` as a host.
    url = new URL(raw.startsWith('/') ? `http://synguard.invalid${raw}` : raw);
  } catch {
    throw new HttpError(400, `malformed request target ${JSON.stringify(raw.slice(0, 64))}`);
  }
  const method = req.method ?? 'GET';
  for (const route of table) {
    const match = route.path.exec(url.pathname);
    if (!match) continue;
    const handler = route.methods[method === 'HEAD' ? 'GET' : method];
    if (!handler) {
      throw new HttpError(405, `${method} is not allowed on ${url.pathname} (allowed: ${Object.keys(route.methods).join(', ')})`,
        { allow: Object.keys(route.methods).join(', ') });
    }
    if (handler.auth) requireToken(req.headers, deps.token);
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) {
      if (k in query) throw new HttpError(400, `query parameter "${k}" is given twice`);
      query[k] = v;
    }
    return handler.run({ req, query, params: match.slice(1).map((p) => p ?? '') });
  }
  throw new HttpError(404, `no such endpoint: ${url.pathname} (the API is under /api/v1; see docs/http.md)`);
}

/** Builds the handler from its dependencies; the metrics are made here unless given. */
export function createApp(deps: HttpDeps, metrics: Metrics = createMetrics(deps)): App {
  const table = routes(deps, metrics);
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    dispatch(req, deps, table)
      .catch((err: unknown) => errorReply(err, (line) => deps.log?.(line)))
      .then((reply) => {
        if (isStream(reply)) return reply.stream(req, res);
        send(res, reply);
        // A body we stopped reading (413, or an error before reading it) is not drained: close the connection.
        if (!req.complete) res.once('finish', () => req.destroy());
      })
      .catch((err: unknown) => deps.log?.(`http: cannot answer: ${(err as Error).message}`));
  };
  return { handle, metrics };
}
