// GET /v1/decisions/stream for CrowdSec bouncers (docs/fleet.md): X-Api-Key (keys from `synguard bouncers add`),
// `startup=true` for everything in force, then deltas. Off unless http.bouncerStream is true (then 404).
import type { HttpDeps } from './deps.js';
import { HttpError, json, type Reply } from './reply.js';
import { openFleetDb, type FleetDb } from '../store/fleet-db.js';
import { streamFor } from '../fleet/serve.js';
import type { Call, Route } from './route.js';

/** The route; the store connection is opened at the first request and kept. */
export function bouncerStreamRoute(deps: HttpDeps): Route {
  let db: FleetDb | null = null;
  const run = ({ req, query }: Call): Reply => {
    if (!deps.config.http.bouncerStream) throw new HttpError(404, 'not found (serving bouncers is off: http.bouncerStream)');
    const key = req.headers['x-api-key'];
    db ??= openFleetDb(deps.store.dir);
    const bouncer = typeof key === 'string' && key !== '' ? db.keys.find(key) : undefined;
    if (!bouncer) return json(403, { message: 'access forbidden' }); // as the LAPI answers a wrong key
    return json(200, streamFor(db, bouncer, query['startup'] === 'true', deps.now()));
  };
  return { path: /^\/v1\/decisions\/stream$/, methods: { GET: { auth: false, run } } };
}
