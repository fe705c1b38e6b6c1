// Prometheus metrics: sockets, listeners, kernel SYN counters, the kernel SYN-rate meter, bans, verdict, hardening,
// loop. prom-client (and what it loads) comes with the first scrape (prom-registry.ts): a daemon nobody scrapes
// never carries it. What must count from the start (the loop, bans issued, the meter's latest senders) is kept here.
import type { SynSender } from '../detect/syn-senders.js';
import { BanCounter } from './ban-counts.js';
import type { Kept } from './metric-defs.js';
import type { HttpDeps } from './deps.js';
import { LoopHistogram } from './loop-histogram.js';

export { KERNEL_COUNTERS, PREFIX } from './metric-defs.js';

export interface Metrics {
  /** Records one pass of the daemon's loop, in seconds. */
  observeLoop(seconds: number): void;
  /** The text exposition, collected now. */
  render(): Promise<string>;
  readonly contentType: string;
}

const LOOP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Builds the metrics from the daemon's state; values are read at scrape time, never pushed (but the loop's). */
export function createMetrics(deps: HttpDeps): Metrics {
  const loop = new LoopHistogram('synguard_loop_duration_seconds', 'time one pass of the defender loop took', LOOP_BUCKETS);
  let latest: readonly SynSender[] = [];
  deps.events?.on((e) => {
    if (e.type === 'tick') latest = e.synSenders;
  });
  const kept: Kept = { bans: new BanCounter(deps.store, deps.now()), senders: () => latest };
  let registry: Promise<() => Promise<string>> | undefined;
  return {
    observeLoop: (seconds) => loop.observe(seconds),
    render: async () => {
      registry ??= import('./prom-registry.js').then((m) => m.promRegistry(deps, kept));
      const text = await (await registry)(); // prom-client's blocks, joined by a blank line, then a newline
      return `${text}\n${loop.text()}\n`;
    },
    contentType: 'text/plain; version=0.0.4; charset=utf-8',
  };
}
