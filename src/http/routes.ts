// The route table: paths under /api/v1 and /metrics, each with its methods, and whether they need the token.
import { addBan, listBans, removeBan } from './bans.js';
import { NO_QUERY, readQuery, wholeNumber } from './query.js';
import type { HttpDeps } from './deps.js';
import type { Metrics } from './metrics.js';
import type { Call, Method, Route } from './route.js';
import { json, type Reply } from './reply.js';
import { decisionJson, eventJson } from './views.js';
import { getReport, listReportsPage } from './reports.js';
import { dashboardRoutes } from './dashboard/routes.js';
import { upstreamView } from '../upstream/view.js';
import { bouncerStreamRoute } from './bouncer-stream.js';

export const API = '/api/v1';

const HISTORY_QUERY = { limit: wholeNumber(1, 1000, 50) };

/** 200 while defending; `status: degraded` (still 200: the defence runs) while the store holds writes in memory. */
function health(deps: HttpDeps): Reply {
  const store = deps.store.health?.();
  const base = { time: new Date(deps.now()).toISOString(), sampling: deps.status() !== null };
  if (!store || store.writable) return json(200, { status: 'ok', ...base });
  return json(200, { status: 'degraded', ...base, store: { writable: false, error: store.error, since: new Date(store.since ?? 0).toISOString(), held: store.held } });
}

const open = (run: (call: Call) => Reply | Promise<Reply>): Method => ({ auth: false, run });
const guarded = (run: (call: Call) => Reply | Promise<Reply>): Method => ({ auth: true, run });

/** Every route; a path that matches none is 404, a method a route lacks is 405. */
export function routes(deps: HttpDeps, metrics: Metrics): Route[] {
  const table: Route[] = [
    { path: /^\/api\/v1\/health$/, methods: { GET: open(() => health(deps)) } },
    { path: /^\/api\/v1\/status$/, methods: { GET: open(({ query }) => {
      readQuery(query, NO_QUERY);
      const report = deps.status();
      return report === null ? json(503, { error: 'no status yet: the daemon needs two samples (one interval) first' }) : json(200, report);
    }) } },
    { path: /^\/api\/v1\/bans$/, methods: {
      GET: open(({ query }) => listBans(deps, query)),
      POST: guarded(({ req }) => addBan(deps, req)),
    } },
    { path: /^\/api\/v1\/bans\/([^/]+)$/, methods: { DELETE: guarded(({ params }) => removeBan(deps, params[0] ?? '')) } },
    { path: /^\/api\/v1\/history$/, methods: { GET: open(({ query }) => {
      const { limit } = readQuery(query, HISTORY_QUERY);
      return json(200, {
        decisions: deps.store.decisions.history({ limit }).map(decisionJson),
        attacks: deps.store.events.list({ limit }).map(eventJson),
      });
    }) } },
    { path: /^\/api\/v1\/hardening$/, methods: { GET: open(() => {
      const originals = Object.fromEntries(deps.store.sysctls.originals());
      return json(200, { applied: Object.keys(originals).length > 0, originals, current: deps.status()?.sysctls ?? null });
    }) } },
    { path: /^\/api\/v1\/reports$/, methods: { GET: open(({ query }) => listReportsPage(deps, query)) } },
    { path: /^\/api\/v1\/reports\/([^/]+)$/, methods: { GET: open(({ params }) => getReport(deps, params[0] ?? '')) } },
    { path: /^\/api\/v1\/upstream$/, methods: { GET: open(({ query }) => {
      readQuery(query, NO_QUERY);
      return json(200, upstreamView(deps.config, deps.store, deps.now(), deps.upstream?.() ?? null));
    }) } },
    bouncerStreamRoute(deps), // GET /v1/decisions/stream for CrowdSec bouncers (docs/fleet.md)
    { path: /^\/metrics$/, methods: { GET: open(async () => ({ status: 200, body: await metrics.render(), type: metrics.contentType })) } },
  ];
  // `/`, /assets/*, /api/v1/stream (docs/dashboard.md); the page learns which optional endpoints exist.
  const routed = (path: string) => table.some((r) => r.path.test(path));
  return [...table, ...dashboardRoutes(deps, { routed }).routes];
}
