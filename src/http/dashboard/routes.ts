// The dashboard's routes: the page at `/`, its files under /assets/, and the live stream at /api/v1/stream.
// None needs the token (the page asks for it only to unban).
import type { HttpDeps } from '../deps.js';
import { HttpError, type Reply } from '../reply.js';
import type { Call, Route, StreamReply } from '../route.js';
import { createLive, type Live, type LiveOptions } from './live.js';
import { staticFiles } from './static.js';
import { SSE_HEADERS } from './stream.js';

export interface DashboardRoutes {
  readonly routes: Route[];
  readonly live: Live;
}

/** Endpoints other features may add; the page shows their panels only when they are routed. */
export const OPTIONAL_ENDPOINTS = { reports: '/api/v1/reports', upstream: '/api/v1/upstream' } as const;

/** Which optional endpoints the app serves, for the page (a panel without its endpoint stays hidden). */
export function optionalEndpoints(routed?: (path: string) => boolean): Record<keyof typeof OPTIONAL_ENDPOINTS, boolean> {
  return { reports: routed?.(OPTIONAL_ENDPOINTS.reports) ?? false, upstream: routed?.(OPTIONAL_ENDPOINTS.upstream) ?? false };
}

export interface DashboardOptions extends LiveOptions {
  readonly webDir?: string;
  /** Whether the app routes a path (for OPTIONAL_ENDPOINTS); nothing optional is shown without it. */
  readonly routed?: (path: string) => boolean;
}

export function dashboardRoutes(deps: HttpDeps, options: DashboardOptions = {}): DashboardRoutes {
  const files = staticFiles(options.webDir);
  const live = createLive(deps, { ...options, hello: () => ({ endpoints: optionalEndpoints(options.routed) }) });
  const file = (name: string) => {
    const reply = files.get(name);
    if (!reply) throw new HttpError(404, `no such file: /assets/${name}`);
    return reply;
  };
  const stream = ({ req }: Call): Reply | StreamReply => {
    if (req.method === 'HEAD') return { status: 200, body: '', type: SSE_HEADERS['content-type'] }; // no stream to hold open
    if (live.full) throw new HttpError(503, 'too many dashboard streams are open; close a tab and retry', { 'retry-after': '10' });
    return { status: 200, body: null, stream: (req, res) => live.open(req, res) };
  };
  return {
    live,
    routes: [
      { path: /^\/$/, methods: { GET: { auth: false, run: () => file('') } } },
      { path: /^\/assets\/([^/]+)$/, methods: { GET: { auth: false, run: ({ params }) => file(params[0] ?? '') } } },
      { path: /^\/api\/v1\/stream$/, methods: { GET: { auth: false, run: stream } } },
    ],
  };
}
