// Upstream escalation's public face: build the controller the daemon subscribes to its events.
import type { Config } from '../config/schema.js';
import type { EventBus } from '../bus/events.js';
import type { Log } from '../core/log.js';
import type { Store } from '../store/index.js';
import { uplinkCapacity } from './capacity.js';
import { UpstreamController } from './controller.js';
import { ExabgpSpeaker } from './exabgp.js';
import { MemoryBook } from './memory-book.js';

export { UpstreamController, type UpstreamStatus } from './controller.js';

export interface UpstreamHandle {
  readonly controller: UpstreamController;
  stop(): Promise<void>;
}

/** Starts upstream escalation when `upstream.enabled`; null otherwise. Never throws for ExaBGP trouble (logged). */
export function startUpstream(config: Config, deps: { store: Store; log: Log; events: EventBus; stateDir: string; dryRun: boolean }): UpstreamHandle | null {
  const cfg = config.upstream;
  if (!cfg.enabled) return null;
  const dryRun = deps.dryRun || cfg.dryRun;
  const local = cfg.bgp.localAddress ?? null;
  const nextHops = {
    ipv4: cfg.bgp.nextHop4 ?? (local !== null && !local.includes(':') ? local : null),
    ipv6: cfg.bgp.nextHop6 ?? (local?.includes(':') === true ? local : null),
  };
  const capacityBps = uplinkCapacity(cfg.interface, cfg.capacityMbps);
  if (capacityBps === 0) deps.log('warn', 'upstream-capacity-unknown', { interface: cfg.interface, note: 'set upstream.capacityMbps; utilisation is not used until then' });
  const speaker = dryRun ? null : new ExabgpSpeaker(cfg, deps.stateDir, nextHops, (level, event, fields) => deps.log(level, event, fields));
  const controller = new UpstreamController(cfg, {
    book: dryRun ? new MemoryBook() : deps.store.announcements, log: deps.log, now: Date.now, speaker, capacityBps,
  });
  controller.start();
  const off = deps.events.on(controller.onEvent);
  return {
    controller,
    stop: async () => {
      off();
      await controller.stop();
    },
  };
}
