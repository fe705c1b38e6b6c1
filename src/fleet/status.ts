// What `synguard fleet status` shows, read from the store (never created by it) and the config.
import type { Config } from '../config/schema.js';
import { DB_FILE } from '../store/open.js';
import { openFleetDb } from '../store/fleet-db.js';
import type { QueueCounts } from '../store/push-queue.js';
import type { PullStatus, PushStatus } from './worker.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface FleetStatus {
  readonly url: string | null;
  readonly push: { readonly enabled: boolean; readonly queue: QueueCounts | null; readonly last: PushStatus | null };
  readonly pull: { readonly enabled: boolean; readonly every: number | null; readonly last: PullStatus | null };
  readonly serve: { readonly enabled: boolean; readonly bouncers: ReadonlyArray<{ name: string; lastPull: number | null }> };
}

export function fleetStatus(config: Config, stateDir: string): FleetStatus {
  const cs = config.crowdsec;
  const base = {
    url: cs?.url ?? null,
    push: { enabled: cs?.push !== undefined, queue: null, last: null },
    pull: { enabled: cs?.pull !== undefined, every: cs?.pull?.every ?? null, last: null },
    serve: { enabled: config.http.bouncerStream, bouncers: [] },
  };
  if (!existsSync(join(stateDir, DB_FILE))) return base;
  const db = openFleetDb(stateDir);
  try {
    return {
      ...base,
      push: { ...base.push, queue: db.queue.counts(), last: db.getState<PushStatus>('push.status') ?? null },
      pull: { ...base.pull, last: db.getState<PullStatus>('pull.status') ?? null },
      serve: { ...base.serve, bouncers: db.keys.list().map((b) => ({ name: b.name, lastPull: b.lastPull })) },
    };
  } finally {
    db.close();
  }
}

const iso = (t: number | null | undefined) => (t === null || t === undefined ? 'never' : new Date(t).toISOString());

export function renderFleetStatus(s: FleetStatus): string {
  const lines = [`LAPI: ${s.url ?? 'none configured (crowdsec.url)'}`];
  const q = s.push.queue;
  lines.push(s.push.enabled
    ? `push: ${q ? `${q.pending} pending, ${q.sending} in flight, ${q.sent} sent, ${q.dropped} dropped` : 'no store yet'}; last success ${iso(s.push.last?.lastOkAt)}${s.push.last?.error ? `; error: ${s.push.last.error}` : ''}`
    : 'push: off (crowdsec.push)');
  lines.push(s.pull.enabled
    ? `pull: every ${(s.pull.every ?? 0) / 1000}s; last success ${iso(s.pull.last?.lastOkAt)}; ${s.pull.last?.held ?? 0} decisions held${s.pull.last?.error ? `; error: ${s.pull.last.error}` : ''}`
    : 'pull: off (crowdsec.pull)');
  lines.push(`serve: ${s.serve.enabled ? 'on' : 'off (http.bouncerStream)'}; ${s.serve.bouncers.length} bouncer(s)${s.serve.bouncers.map((b) => `\n  ${b.name}: last pull ${iso(b.lastPull)}`).join('')}`);
  return `${lines.join('\n')}\n`;
}
