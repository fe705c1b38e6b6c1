// The dashboard's routes: the page at `/`, its files under /assets/, and the live stream at /api/v1/stream.
// None needs the token (the page asks for it only to unban).
import type { StreamReply } from '../app.js';
import type { HttpDeps } from '../deps.js';
import { HttpError } from '../reply.js';
import type { Route } from '../routes.js';
import { createLive, type Live, type LiveOptions } from './live.js';
import { staticFiles } from './static.js';

export interface DashboardRoutes {
  readonly routes: Route[];
  readonly live: Live;
}

/** Endpoints other features may add; the page shows their panels only when they are routed. */
export const OPTIONAL_ENDPOINTS = { reports: '/api/v1/reports', upstream: '/api/v1/upstream' } as const;

export interface DashboardOptions extends LiveOptions {
  readonly webDir?: string;
  /** Whether the app routes a path (for OPTIONAL_ENDPOINTS); nothing optional is shown without it. */
  readonly routed?: (path: string) => boolean;
}

export function dashboardRoutes(deps: HttpDeps, options: DashboardOptions = {}): DashboardRoutes {
  const files = staticFiles(options.webDir);
  const endpoints = () => Object.fromEntries(Object.entries(OPTIONAL_ENDPOINTS).map(([k, path]) => [k, options.routed?.(path) ?? false]));
  const live = createLive(deps, { ...options, hello: () => ({ endpoints: endpoints() }) });
  const file = (name: string) => {
    const reply = files.get(name);
    if (!reply) throw new HttpError(404, `no such file: /assets/${name}`);
    return reply;
  };
  const stream = (): StreamReply => {
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
