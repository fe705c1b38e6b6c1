// The kernel SYN-rate meter on /metrics: its top SYN senders and how much it is dropping, from the daemon's latest
// tick. Both gauges are rebuilt at each scrape, so a sender that left the meter leaves /metrics too.
import { Gauge, type Registry } from 'prom-client';
import type { SynSender } from '../detect/syn-senders.js';

/** Senders exposed at most: one series each, so the cardinality stays bounded whatever the flood. */
export const TOP_SENDERS = 10;

/** A sender the kernel drops as a whole prefix is named by its CIDR; a single source by its address. */
export const senderScope = (s: SynSender): 'ip' | 'prefix' => (s.address.includes('/') ? 'prefix' : 'ip');

/**
 * Registers the meter's gauges, read from the latest tick's senders (the whole list, so the drop count is exact, not
 * the top 10's); without a bus, or before the first tick, there are no senders and no drops.
 */
export function registerMeterMetrics(registry: Registry, senders: () => readonly SynSender[]): void {
  const registers = [registry];
  new Gauge({
    name: 'synguard_meter_sender_syns_per_second',
    help: `the kernel SYN-rate meter's top SYN senders (${TOP_SENDERS} at most, latest tick): SYNs per second; address is an IP, or a CIDR for a prefix dropped as a whole; proven: it completes handshakes; dropped: the kernel drops it`,
    labelNames: ['address', 'proven', 'dropped'],
    registers,
    collect() {
      this.reset();
      for (const s of senders().slice(0, TOP_SENDERS)) {
        this.set({ address: s.address, proven: String(s.proven), dropped: String(s.dropped) }, s.synPerSecond);
      }
    },
  });
  new Gauge({
    name: 'synguard_meter_drops_active',
    help: 'sources (scope ip) and prefixes (scope prefix) the kernel SYN-rate meter is dropping now, until the daemon bans or lifts them',
    labelNames: ['scope'],
    registers,
    collect() {
      const n = { ip: 0, prefix: 0 };
      for (const s of senders()) if (s.dropped) n[senderScope(s)] += 1;
      this.set({ scope: 'ip' }, n.ip);
      this.set({ scope: 'prefix' }, n.prefix);
    },
  });
}
