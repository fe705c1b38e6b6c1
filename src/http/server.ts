// Starts the API on a listen address: refuses the network without a token, warns about anything beyond loopback.
import type { AddressInfo } from 'node:net';
import { isLoopback, LISTEN_EXAMPLE, parseListen } from '../config/listen.js';
import { SynguardError } from '../core/errors.js';
import { createApp } from './app.js';
import type { HttpDeps } from './deps.js';

// Not `import ... from 'node:http'`: Node's ES-module view of a built-in reads every export, and http's `WebSocket`
// getter then loads undici, 13 MB of the idle daemon's RSS for a client it never uses. The CommonJS object reads
// nothing it is not asked for (server.test.ts: "the daemon does not load undici").
const { createServer } = process.getBuiltinModule('node:http');

export interface HttpServer {
  /** Where it listens, as "HOST:PORT" (the real port when 0 was asked for). */
  readonly address: string;
  /** A line for the log when the API is reachable from the network; null on loopback. */
  readonly warning: string | null;
  /** Records one pass of the daemon's loop (synguard_loop_duration_seconds). */
  observeLoop(seconds: number): void;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** Where to listen and what to log about it; throws when the address is malformed, or public with no token. */
export function listenPolicy(listen: string, token: string): { host: string; port: number; warning: string | null } {
  const at = parseListen(listen);
  if (!at) throw new SynguardError('config', `http.listen: expected HOST:PORT with an IP address (${LISTEN_EXAMPLE}), found "${listen}"`);
  if (isLoopback(at.host)) return { ...at, warning: null };
  if (token === '') {
    throw new SynguardError('config', `http.listen: ${listen} is outside loopback and no API token is set: refusing to serve the network without one`);
  }
  return { ...at, warning: `the HTTP API listens on ${listen}, outside loopback: anyone who can reach it reads status and metrics; bans need the token` };
}

/** Listens on `listen` ("127.0.0.1:9717", "[::1]:9717") and serves the API and /metrics. */
export async function startHttp(deps: HttpDeps, listen: string): Promise<HttpServer> {
  const at = listenPolicy(listen, deps.token);
  const app = createApp(deps);
  // Slow clients (slow-loris) get 408 once the headers take 5 s or the whole request 10 s, checked every second
  // (Node's default check runs every 30 s); headers over 16 KiB get 431, bodies over 8 KiB 413 (body.ts).
  const server = createServer({ requestTimeout: 10_000, headersTimeout: 5_000, connectionsCheckingInterval: 1_000, maxHeaderSize: 16 * 1024 }, app.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(new SynguardError(
      err.code === 'EACCES' ? 'permission' : 'config', `http.listen: cannot listen on ${listen}: ${err.code ?? err.message}`, { cause: err })));
    server.listen(at.port, at.host, () => resolve());
  });
  server.on('error', (err) => deps.log?.(`http: ${err.message}`));
  const bound = server.address() as AddressInfo;
  const address = bound.family === 'IPv6' ? `[${bound.address}]:${bound.port}` : `${bound.address}:${bound.port}`;
  return {
    address,
    warning: at.warning,
    observeLoop: (seconds) => app.metrics.observeLoop(seconds),
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
