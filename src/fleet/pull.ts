// Pull: the LAPI's ban decisions (scope Ip or Range, both families) become stored decisions with origin 'crowdsec';
// the defender's reconcile enforces them like any other (the store is the truth). One stored decision per value,
// however many LAPI decisions name it; the allow-list and a cap refuse; a value this host already bans (its own
// pushed decision coming back) is not doubled. A failed pull changes nothing.
import { parseCidr } from '../core/address.js';
import type { Decision } from '../core/decision.js';
import type { FleetDb } from '../store/fleet-db.js';
import { parseGoDuration } from './go-duration.js';
import type { LapiDecision, StreamReply } from './protocol.js';

export interface PullPolicy {
  /** Why this CIDR may not be banned (the allow-list), or null. */
  readonly refuse: (value: string) => string | null;
  /** Pulled decisions held at most. */
  readonly max: number;
}

export interface PullOutcome {
  readonly added: number;
  readonly extended: number;
  readonly ended: number;
  /** Refused: allow-listed, over the cap, or not a ban of scope Ip/Range (counted by reason). */
  readonly refused: Readonly<Record<string, number>>;
  /** Already banned here (by this host's own decisions). */
  readonly known: number;
}

/** The canonical CIDR of a LAPI decision of scope Ip or Range, or null for anything else. */
export function cidrOf(d: LapiDecision): string | null {
  const scope = d.scope.toLowerCase();
  if (d.type.toLowerCase() !== 'ban' || (scope !== 'ip' && scope !== 'range')) return null;
  try {
    const c = parseCidr(d.value);
    return `${c.address}/${c.length}`;
  } catch {
    return null;
  }
}

/** Applies one stream reply to the store in one transaction. `startup`: the reply is the whole set. */
export function applyStream(db: FleetDb, reply: StreamReply, startup: boolean, policy: PullPolicy, now: number): PullOutcome {
  return db.transaction(() => {
    let added = 0, extended = 0, ended = 0, known = 0;
    const refused: Record<string, number> = {};
    const refuse = (why: string) => { refused[why] = (refused[why] ?? 0) + 1; };
    const live = new Map(db.pulled.live(now).map((p) => [p.lapiId, p]));
    const release = (lapiId: number) => {
      const p = live.get(lapiId) ?? db.pulled.get(lapiId);
      if (!p) return;
      db.pulled.remove(lapiId);
      live.delete(lapiId);
      const others = [...live.values()].some((o) => o.decisionId === p.decisionId);
      if (!others && db.decisions.end(p.decisionId, { now, by: 'crowdsec', kind: 'unban' })) ended++;
    };
    const incoming = new Set(reply.new.map((d) => d.id).filter((id): id is number => id !== undefined));
    if (startup) for (const lapiId of [...live.keys()]) if (!incoming.has(lapiId)) release(lapiId);
    for (const d of reply.deleted) if (d.id !== undefined) release(d.id);
    let held = new Set([...live.values()].map((p) => p.decisionId)).size;
    for (const d of reply.new) {
      const value = cidrOf(d);
      const ms = parseGoDuration(d.duration);
      if (value === null || d.id === undefined || d.simulated === true) { refuse('not a ban of scope Ip or Range'); continue; }
      if (ms === null || ms <= 0) { refuse('no time left'); continue; }
      if (live.has(d.id)) continue; // seen before (a startup after a restart)
      const until = now + Math.round(ms);
      const active = db.decisions.findActive(value, now);
      if (active && active.origin !== 'crowdsec') { known++; continue; }
      if (active) { // another LAPI decision on the same value: one stored decision, the longest end
        if (db.decisions.extend(active.id, until, now)) extended++;
        db.pulled.add({ lapiId: d.id, decisionId: active.id, value });
        live.set(d.id, { lapiId: d.id, decisionId: active.id, value });
        continue;
      }
      const why = policy.refuse(value);
      if (why !== null) { refuse('allow-list'); continue; }
      if (held >= policy.max) { refuse(`cap of ${policy.max}`); continue; }
      const decision: Decision = {
        scope: value.endsWith('/32') || value.endsWith('/128') ? 'ip' : 'prefix',
        value, action: 'ban', origin: 'crowdsec', createdAt: now, until, offence: 1,
        reason: `CrowdSec ${d.origin} decision ${d.id}: ${d.scenario}`.slice(0, 300),
        evidence: [`LAPI decision ${d.id}: ${d.type} ${d.scope} ${d.value} for ${d.duration} (origin ${d.origin}, scenario ${d.scenario})`],
      };
      const saved = db.decisions.insert(decision);
      db.pulled.add({ lapiId: d.id, decisionId: saved.id, value });
      live.set(d.id, { lapiId: d.id, decisionId: saved.id, value });
      held++;
      added++;
    }
    db.pulled.forget(now);
    return { added, extended, ended, refused, known };
  });
}
