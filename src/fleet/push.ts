// Push: every enforced ban made here goes to the LAPI as an alert with its decision, and is withdrawn when it ends
// early (unban, release, superseded; an expiry needs nothing, the LAPI's decision carries the same end). The queue
// lives in SQLite (store/push-queue.ts); one step scans the decisions, logs in, settles what a crash left in flight,
// then sends a batch of publishes and the due withdrawals.
import type { FleetDb } from '../store/fleet-db.js';
import type { PushItem } from '../store/push-queue.js';
import { alertFor, lapiTarget, PUSH_ORIGIN, refOf, scenarioOf } from './alert.js';
import { LapiError, type LapiClient } from './lapi-client.js';

export interface PushDeps {
  readonly db: FleetDb;
  readonly client: LapiClient;
  readonly login: string;
  readonly password: string;
  readonly batch: number;
  /** This synguard's name in the alerts' synguard_ref (host name and store instance). */
  readonly ref: string;
  readonly now: () => number;
  readonly random?: () => number;
}

export interface PushResult {
  readonly published: number;
  readonly withdrawn: number;
  /** The failure that stopped this step, if any (a LapiError's one-line message). */
  readonly error: string | null;
  /** Rows still waiting. */
  readonly waiting: number;
}

const SCAN_STATE = 'push.after';

export class Pusher {
  constructor(private readonly deps: PushDeps) {}

  /** Back-off: 1 s doubling per attempt up to 1 min, shortened by up to 20% so hosts do not retry in step. */
  private retryAt(item: PushItem, now: number): number {
    return now + Math.round(Math.min(60_000, 1000 * 2 ** item.attempts) * (1 - 0.2 * (this.deps.random ?? Math.random)()));
  }

  /** One pass: scan, log in, settle, send. Never throws for LAPI trouble: the error is returned (and kept). */
  async step(): Promise<PushResult> {
    const { db, client, now } = this.deps;
    const after = db.getState<number>(SCAN_STATE) ?? 0;
    const scanned = db.queue.scan(after, now());
    if (scanned.next !== after) db.setState(SCAN_STATE, scanned.next);
    let published = 0, withdrawn = 0;
    try {
      await client.login(this.deps.login, this.deps.password);
      await this.settleInFlight();
      published = await this.publish();
      withdrawn = await this.withdraw();
      return { published, withdrawn, error: null, waiting: this.waiting() };
    } catch (err) {
      if (!(err instanceof LapiError)) throw err;
      const error = err.kind === 'refused' && /login/.test(err.message)
        ? `login refused for machine "${this.deps.login}": check crowdsec.push.login and its password (${err.message})`
        : err.message;
      return { published, withdrawn, error, waiting: this.waiting() };
    }
  }

  private waiting(): number {
    const c = this.deps.db.queue.counts();
    return c.pending + c.sending;
  }

  /** Publishes whose outcome is unknown: found at the LAPI (by synguard_ref) they are sent, else sent again later. */
  private async settleInFlight(): Promise<void> {
    const { db, client, now } = this.deps;
    for (const item of db.queue.inFlight()) {
      if (item.kind === 'withdraw') {
        db.queue.retry([item.id], now(), 'in flight at a restart'); // a withdrawal is safe to repeat
        continue;
      }
      const d = db.decisionById(item.decisionId);
      if (!d) {
        db.queue.mark([item.id], 'dropped', now());
        continue;
      }
      const target = lapiTarget(d.value);
      const found = await client.findAlerts({ value: target.value, origin: PUSH_ORIGIN, scenario: scenarioOf(d) });
      const ref = refFor(this.deps.ref, d);
      const mine = found.find((a) => refOf(a) === ref);
      if (mine?.id !== undefined) db.queue.mark([item.id], 'sent', now(), [{ alertId: String(mine.id), until: d.until }]);
      else db.queue.retry([item.id], now(), 'in flight at a restart or a lost answer: not at the LAPI, sent again');
    }
  }

  private async publish(): Promise<number> {
    const { db, client, now } = this.deps;
    let sent = 0;
    for (;;) {
      const t = now();
      const due = db.queue.due('publish', t, this.deps.batch);
      if (due.length === 0) return sent;
      const items: PushItem[] = [];
      const alerts = [];
      const ends: number[] = [];
      for (const item of due) {
        const d = db.decisionById(item.decisionId);
        if (!d || d.endedAt !== null || d.until <= t + 1000) {
          db.queue.mark([item.id], 'dropped', t); // ended or about to: nothing to tell the fleet
          continue;
        }
        items.push(item);
        ends.push(d.until);
        alerts.push(alertFor(d, refFor(this.deps.ref, d), t));
      }
      if (items.length === 0) continue;
      const ids = items.map((i) => i.id);
      db.queue.mark(ids, 'sending', t); // committed before the request leaves: a crash now is settled by its ref
      try {
        const alertIds = await client.postAlerts(alerts);
        db.queue.mark(ids, 'sent', now(), alertIds.map((alertId, i) => ({ alertId, until: ends[i] ?? null })));
        sent += ids.length;
      } catch (err) {
        // Not sent for sure (no connection, an HTTP error): back to pending. Unknown (timeout): left 'sending'.
        if (err instanceof LapiError && err.kind !== 'uncertain') {
          for (const item of items) db.queue.retry([item.id], this.retryAt(item, now()), err.message);
        }
        throw err;
      }
      if (due.length < this.deps.batch) return sent;
    }
  }

  private async withdraw(): Promise<number> {
    const { db, client, now } = this.deps;
    let done = 0;
    for (const item of db.queue.due('withdraw', now(), 1000)) {
      const alertIds = db.queue.publishOf(item.decisionId)?.alertId?.split(',') ?? [];
      try {
        for (const alertId of alertIds) {
          const alert = await client.alert(alertId).catch((err: unknown) => {
            if (err instanceof LapiError && err.status === 404) return null; // flushed, or deleted by an operator
            throw err;
          });
          for (const d of alert?.decisions ?? []) if (d.id !== undefined && d.origin === PUSH_ORIGIN) await client.deleteDecision(d.id);
        }
        db.queue.mark([item.id], 'sent', now());
        done++;
      } catch (err) {
        if (err instanceof LapiError) db.queue.retry([item.id], this.retryAt(item, now()), err.message);
        throw err;
      }
    }
    return done;
  }
}

/** The synguard_ref of one publish: this host, the decision and the end published (an extension is a new one). */
function refFor(host: string, d: { readonly id: number; readonly until: number }): string {
  return `${host}:${d.id}:${d.until}`;
}
