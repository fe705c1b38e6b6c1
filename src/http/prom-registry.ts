// The prom-client registry behind /metrics, loaded with the first scrape (metrics.ts): standard process metrics under
// synguard's prefix, then synguard's own, each read from the daemon's state at scrape time.
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { HttpDeps } from './deps.js';
import { registerMeterMetrics } from './meter-metrics.js';
import { KERNEL_COUNTERS, KINDS, PREFIX, type Kept } from './metric-defs.js';

/**
 * The registry, built at the first scrape: every metric but the loop histogram (metrics.ts appends it). Returns what
 * renders it: prom-client's text, with the ban counts brought up to date first.
 */
export function promRegistry(deps: HttpDeps, kept: Kept): () => Promise<string> {
  const registry = new Registry();
  const registers = [registry];
  // synguard_process_cpu_seconds_total, synguard_process_resident_memory_bytes, synguard_nodejs_*: prom-client's
  // standard process metrics, under synguard's prefix so they never clash with another exporter's on one host.
  collectDefaultMetrics({ register: registry, prefix: PREFIX });
  // prom-client names three gauges *_total, which Prometheus reserves for counters: left out rather than misnamed.
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
    registry.removeSingleMetric(`${PREFIX}${name}`);
  }
  let counts = kept.bans.update(deps.now());
  const status = deps.status.bind(deps);

  new Gauge({ name: 'synguard_sockets', help: 'TCP sockets by state', labelNames: ['state'], registers, collect() {
    this.reset();
    for (const [state, n] of Object.entries(status()?.states ?? {})) this.set({ state }, n);
  } });
  const listenerGauge = (name: string, help: string, pick: (l: { synRecv: number; backlog: number | null }) => number | null) =>
    new Gauge({ name, help, labelNames: ['address', 'port'], registers, collect() {
      this.reset();
      for (const l of status()?.listeners ?? []) {
        const v = pick(l);
        if (v !== null) this.set({ address: l.address, port: String(l.port) }, v);
      }
    } });
  listenerGauge('synguard_listener_syn_queue', 'SYN_RECV entries held for a listener (its SYN-queue occupancy)', (l) => l.synRecv);
  listenerGauge('synguard_listener_backlog', 'a listener\'s backlog: min(listen() backlog, somaxconn)', (l) => l.backlog);

  // The kernel keeps absolute counters and prom-client's Counter only goes up by inc(). At each scrape the counter is
  // reset and increased by the kernel's current value, so the exposition shows the kernel's own total. Prometheus
  // needs only that a counter never decreases except on reset; the kernel's counters only reset with a reboot, which
  // rate() treats as a counter reset like any other. A counter the kernel lacks (old kernels) is left out.
  for (const [name, [kernel, help]] of Object.entries(KERNEL_COUNTERS)) {
    new Counter({ name, help: `kernel ${kernel}: ${help}`, registers, collect() {
      this.reset();
      const c = status()?.counters[kernel];
      if (c !== undefined) this.inc(c.value);
    } });
  }

  registerMeterMetrics(registry, kept.senders);

  new Gauge({ name: 'synguard_bans_active', help: 'bans in force by scope (ip, prefix) and origin (auto: the daemon\'s detection, manual: an operator, kernel: the SYN-rate meter dropped it first and the daemon confirmed it)', labelNames: ['scope', 'origin'], registers, collect() {
    this.reset();
    for (const [key, n] of counts.active) {
      const [scope = '', origin = ''] = key.split('/');
      this.set({ scope, origin }, n);
    }
  } });
  // Same mapping as the kernel counters: the totals are kept by BanCounter, the Counter mirrors them.
  new Counter({ name: 'synguard_bans_issued_total', help: 'bans created since this process started', registers, collect() {
    this.reset();
    this.inc(counts.issued);
  } });
  new Counter({ name: 'synguard_bans_expired_total', help: 'bans that ran out since this process started (unbans excluded)', registers, collect() {
    this.reset();
    this.inc(counts.expired);
  } });

  new Gauge({ name: 'synguard_assessment', help: 'the current verdict: 1 for its kind, 0 for the others', labelNames: ['kind'], registers, collect() {
    const kind = status()?.assessment.kind;
    for (const k of KINDS) this.set({ kind: k }, k === kind ? 1 : 0);
  } });
  new Gauge({ name: 'synguard_hardening_applied', help: '1 while synguard holds sysctls changed (originals saved), 0 otherwise', registers, collect() {
    this.set(deps.store.sysctls.originals().size > 0 ? 1 : 0);
  } });
  new Gauge({ name: 'synguard_store_writable', help: '1 while the store writes to disk; 0 while writes fail (disk full, read-only, locked) and are held in memory', registers, collect() {
    this.set(deps.store.health?.().writable === false ? 0 : 1);
  } });
  new Gauge({ name: 'synguard_store_held_writes', help: 'store writes held in memory until the store can write (0 when writable)', registers, collect() {
    this.set(deps.store.health?.().held ?? 0);
  } });
  return () => {
    counts = kept.bans.update(deps.now()); // once per scrape, before the three ban metrics read it
    return registry.metrics();
  };
}
