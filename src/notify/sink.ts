// One destination's delivery loop: a bounded queue, one message at a time in order, retries with back-off. It never
// throws and never blocks its caller: enqueue() returns at once, the work runs on the event loop.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Log } from '../core/log.js';
import { backoffDelay, DEFAULT_BACKOFF, type Backoff } from './backoff.js';
import type { Message } from './messages.js';
import { BoundedQueue } from './queue.js';

export interface Delivery {
  readonly ok: boolean;
  /** Worth trying again (timeout, network error, 5xx, 429); false for a refusal that would repeat (4xx). */
  readonly retry: boolean;
  readonly detail: string;
}

export type Deliver = (message: Message, signal: AbortSignal) => Promise<Delivery>;

export interface SinkOptions {
  /** For the log: "webhook https://…" or "command /usr/local/bin/x". */
  readonly name: string;
  readonly deliver: Deliver;
  readonly retries: number;
  readonly queue: number;
  readonly log: Log;
  readonly backoff?: Backoff;
  readonly random?: () => number;
}

export class Sink {
  private readonly queue: BoundedQueue<Message>;
  private readonly stopper = new AbortController();
  private running: Promise<void> | null = null;
  /** Delivered, failed (gave up) and dropped (queue full or stopped) messages, for tests and the log. */
  readonly counts = { delivered: 0, failed: 0, dropped: 0, attempts: 0 };

  constructor(private readonly o: SinkOptions) {
    this.queue = new BoundedQueue(o.queue);
  }

  get name(): string {
    return this.o.name;
  }

  get pending(): number {
    return this.queue.length + (this.running ? 1 : 0);
  }

  enqueue(message: Message): void {
    if (this.stopper.signal.aborted) return;
    const dropped = this.queue.push(message);
    if (dropped) {
      this.counts.dropped++;
      this.o.log('warn', 'notify-dropped', { to: this.o.name, type: dropped.type, id: dropped.id, why: `queue full (${this.o.queue} waiting)` });
    }
    this.running ??= this.pump().finally(() => { this.running = null; });
  }

  /** Resolves once everything queued is delivered or given up, or at the deadline; true when idle. */
  async drain(deadlineMs: number): Promise<boolean> {
    const until = Date.now() + deadlineMs;
    while (this.running && Date.now() < until) {
      const cancel = new AbortController(); // the deadline timer must not outlive the wait (it would hold the process)
      const timer = sleep(until - Date.now(), undefined, { signal: cancel.signal }).catch(() => undefined);
      await Promise.race([this.running, timer]);
      cancel.abort();
    }
    return this.running === null;
  }

  /** Abandons the attempt in flight and whatever is queued (each is logged as dropped). */
  stop(): void {
    this.stopper.abort();
    for (const m of this.queue.clear()) {
      this.counts.dropped++;
      this.o.log('warn', 'notify-dropped', { to: this.o.name, type: m.type, id: m.id, why: 'daemon stopping' });
    }
  }

  private async pump(): Promise<void> {
    for (let m = this.queue.shift(); m && !this.stopper.signal.aborted; m = this.queue.shift()) await this.send(m);
  }

  private async send(m: Message): Promise<void> {
    const signal = this.stopper.signal;
    for (let attempt = 0; ; attempt++) {
      let d: Delivery;
      this.counts.attempts++;
      try {
        d = await this.o.deliver(m, signal);
      } catch (err) {
        d = { ok: false, retry: true, detail: (err as Error).message };
      }
      if (d.ok) {
        this.counts.delivered++;
        this.o.log('info', 'notify-sent', { to: this.o.name, type: m.type, id: m.id, attempts: attempt + 1 });
        return;
      }
      if (signal.aborted) return;
      if (!d.retry || attempt >= this.o.retries) {
        this.counts.failed++;
        this.o.log('error', 'notify-failed', { to: this.o.name, type: m.type, id: m.id, attempts: attempt + 1, error: d.detail, retry: false });
        return;
      }
      const wait = backoffDelay(attempt + 1, this.o.backoff ?? DEFAULT_BACKOFF, this.o.random);
      this.o.log('warn', 'notify-retry', { to: this.o.name, type: m.type, id: m.id, attempt: attempt + 1, error: d.detail, inMs: wait });
      try {
        await sleep(wait, undefined, { signal });
      } catch {
        return; // stopped
      }
    }
  }
}
