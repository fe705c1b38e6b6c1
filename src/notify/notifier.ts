// The daemon's notifier: turns bus events into messages and hands each to every configured webhook and command.
// handle() is called inside the tick: it only builds small objects and queues them; delivery runs on its own.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Exec } from '../core/exec.js';
import type { DaemonEvent } from '../bus/events.js';
import type { Log } from '../core/log.js';
import type { Backoff } from './backoff.js';
import { commandDeliver } from './command.js';
import type { NotifyConfig } from '../config/notify.js';
import { attackEnd, attackStart, BanBatch, hardening, type Message, type ReportHeadline } from './messages.js';
import { Sink } from './sink.js';
import { urlForLog, webhookDeliver } from './webhook.js';

export interface NotifierDeps {
  readonly log: Log;
  readonly now: () => number;
  readonly host?: string;
  readonly fetch?: typeof fetch;
  readonly exec?: Exec;
  readonly backoff?: Backoff;
  readonly random?: () => number;
  /** The finished report of an attack, for the attack-end message (src/report). */
  readonly reportFor?: (eventId: number | null) => ReportHeadline | null;
}

export interface Notifier {
  /** The bus listener: events.on(notifier.handle). */
  readonly handle: (event: DaemonEvent) => void;
  /** A new config (SIGHUP): new destinations take the next messages; the old ones finish what they hold. */
  reconfigure(config: NotifyConfig): void;
  /** Sends the pending ban batch, waits up to `deadlineMs` for deliveries, then abandons the rest. */
  stop(deadlineMs: number): Promise<void>;
  readonly sinks: readonly Sink[];
}

interface OpenAttack { readonly eventId: number; readonly kind: string; readonly startedAt: number; readonly summary: string; readonly evidence: readonly string[] }

function sinksFor(config: NotifyConfig, deps: NotifierDeps): Sink[] {
  const common = { queue: config.queue, log: deps.log, ...(deps.backoff ? { backoff: deps.backoff } : {}), ...(deps.random ? { random: deps.random } : {}) };
  return [
    ...config.webhooks.map((w) => new Sink({ ...common, name: `webhook ${urlForLog(w.url)}`, retries: config.retries, deliver: webhookDeliver(w, deps.fetch) })),
    ...config.commands.map((c) => new Sink({ ...common, name: `command ${c.run[0] ?? ''}`, retries: 0, deliver: commandDeliver(c, deps.exec) })),
  ];
}

export function startNotifier(initial: NotifyConfig, deps: NotifierDeps): Notifier {
  let config = initial;
  let sinks = sinksFor(config, deps);
  const retiring = new Set<Sink>(); // replaced by a reload, finishing what they hold
  const host = deps.host ?? hostname();
  let batch: BanBatch | null = null;
  let timer: NodeJS.Timeout | null = null;
  let attack: OpenAttack | null = null;
  const stamp = () => ({ id: randomUUID(), host, at: deps.now() });

  const send = (m: Message): void => {
    for (const s of sinks) s.enqueue(m);
  };
  const flushBans = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (batch && batch.size > 0) send(batch.message(stamp()));
    batch = null;
  };

  const handle = (e: DaemonEvent): void => {
    if (sinks.length === 0) return;
    switch (e.type) {
      case 'attack-start':
        attack = { eventId: e.eventId, kind: e.kind, startedAt: e.at, summary: e.summary, evidence: e.evidence };
        send(attackStart({ ...stamp(), at: e.at }, e));
        break;
      case 'attack-end': {
        flushBans(); // the bans of this attack go out before its end
        const known = attack && (attack.eventId === e.eventId || e.eventId === null) ? attack : null;
        attack = null;
        send(attackEnd({ ...stamp(), at: e.at }, {
          eventId: e.eventId, kind: e.kind, startedAt: e.startedAt ?? known?.startedAt ?? null,
          summary: known?.summary ?? null, evidence: known?.evidence ?? [],
        }, deps.reportFor?.(e.eventId) ?? null));
        break;
      }
      case 'bans':
        batch ??= new BanBatch(config.banSample);
        batch.add(e.decisions, e.at);
        timer ??= setTimeout(flushBans, config.banBatch).unref();
        break;
      case 'hardening':
        send(hardening({ ...stamp(), at: e.at }, e.mode, e.changes));
        break;
      case 'tick':
        break;
    }
  };

  return {
    handle,
    get sinks() { return sinks; },
    reconfigure(next) {
      const old = sinks;
      config = next;
      sinks = sinksFor(next, deps);
      for (const s of old) {
        retiring.add(s);
        void s.drain(30_000).then(() => { s.stop(); retiring.delete(s); });
      }
    },
    async stop(deadlineMs) {
      flushBans();
      const all = [...sinks, ...retiring];
      await Promise.all(all.map((s) => s.drain(deadlineMs)));
      for (const s of all) s.stop();
    },
  };
}
