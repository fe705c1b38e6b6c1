// Serve: synguard's decisions as the CrowdSec bouncer protocol has them (GET /v1/decisions/stream), so an unmodified
// bouncer (crowdsec-firewall-bouncer, nginx, HAProxy, …) enforces them. Each key has its own cursor: the highest
// decision id it was sent, and when it last pulled (what ended since goes in `deleted`). Pure over the store.
import type { FleetDb } from '../store/fleet-db.js';
import type { StreamRow } from '../store/decision-stream.js';
import { lapiTarget, PUSH_ORIGIN, scenarioOf } from './alert.js';
import { formatGoDuration } from './go-duration.js';
import type { LapiDecision, StreamReply } from './protocol.js';

/** The decision as a bouncer reads it; `duration` is the time left at `now`. */
export function served(row: StreamRow, now: number): LapiDecision & { id: number } {
  const target = lapiTarget(row.value);
  return {
    id: row.id,
    origin: row.origin === 'crowdsec' ? 'crowdsec' : PUSH_ORIGIN,
    type: 'ban',
    scope: target.scope,
    value: target.value,
    duration: formatGoDuration(row.until - now),
    scenario: row.origin === 'crowdsec' ? row.reason : scenarioOf(row),
  };
}

/** One decision per value: the one ending last. */
function longest(rows: readonly StreamRow[]): StreamRow[] {
  const by = new Map<string, StreamRow>();
  for (const r of rows) {
    const seen = by.get(r.value);
    if (!seen || r.until > seen.until) by.set(r.value, r);
  }
  return [...by.values()];
}

/**
 * The reply to bouncer `name` at `now`, advancing its cursor. With `startup`, every decision in force; otherwise the
 * ones made since its last pull and the values no decision covers any more (ended or expired since).
 */
export function streamFor(db: FleetDb, bouncer: { name: string; lastPull: number | null; lastId: number }, startup: boolean, now: number): StreamReply {
  return db.transaction(() => {
    const maxId = db.stream.maxId();
    const fresh = startup || bouncer.lastPull === null;
    const active = db.stream.active(now);
    const liveValues = new Set(active.map((r) => r.value));
    const added = fresh ? active : db.stream.newer(bouncer.lastId, now);
    const gone = fresh ? [] : longest(db.stream.ended(bouncer.lastPull ?? now, now).filter((r) => !liveValues.has(r.value)));
    db.keys.advance(bouncer.name, now, maxId);
    return { new: longest(added).map((r) => served(r, now)), deleted: gone.map((r) => served(r, now)) };
  });
}
