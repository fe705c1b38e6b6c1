// Prometheus metrics on a private registry: sockets, listeners, kernel SYN counters, the kernel SYN-rate meter, bans,
// verdict, hardening, loop.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AssessmentKind } from '../detect/assess.js';
import { BanCounter } from './ban-counts.js';
import type { HttpDeps } from './deps.js';
import { registerMeterMetrics } from './meter-metrics.js';

export interface Metrics {
  readonly registry: Registry;
  /** Records one pass of the daemon's loop, in seconds. */
  observeLoop(seconds: number): void;
  /** The text exposition, collected now. */
  render(): Promise<string>;
  readonly contentType: string;
}

const KINDS = ['none', 'syn-flood', 'spoofed-syn-flood', 'cookies-coping', 'connection-flood', 'weak-config'] as const satisfies readonly AssessmentKind[];

/** The kernel's SYN-related counters (/proc/net/netstat TcpExt), by metric name. */
export const KERNEL_COUNTERS = {
  synguard_kernel_syncookies_sent_total: ['SyncookiesSent', 'SYN cookies sent (the SYN queue was full)'],
  synguard_kernel_syncookies_recv_total: ['SyncookiesRecv', 'valid SYN cookies received back (handshakes completed)'],
  synguard_kernel_syncookies_failed_total: ['SyncookiesFailed', 'invalid SYN cookies received'],
  synguard_kernel_listen_overflows_total: ['ListenOverflows', 'times an accept queue was full'],
  synguard_kernel_listen_drops_total: ['ListenDrops', 'SYNs dropped at a listener'],
  synguard_kernel_reqq_full_do_cookies_total: ['TCPReqQFullDoCookies', 'SYN queue full, answered with a cookie'],
  synguard_kernel_reqq_full_drop_total: ['TCPReqQFullDrop', 'SYN queue full, SYN dropped (cookies off)'],
} as const;

/** Every metric's name starts with this. */
export const PREFIX = 'synguard_';

const LOOP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Builds the metrics from the daemon's state; values are read at scrape time, never pushed. */
export function createMetrics(deps: HttpDeps): Metrics {
  const registry = new Registry();
  const registers = [registry];
  // synguard_process_cpu_seconds_total, synguard_process_resident_memory_bytes, synguard_nodejs_*: prom-client's
  // standard process metrics, under synguard's prefix so they never clash with another exporter's on one host.
  collectDefaultMetrics({ register: registry, prefix: PREFIX });
  // prom-client names three gauges *_total, which Prometheus reserves for counters: left out rather than misnamed.
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
    registry.removeSingleMetric(`${PREFIX}${name}`);
  }
  const bans = new BanCounter(deps.store, deps.now());
  let counts = bans.update(deps.now());
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

  registerMeterMetrics(registry, deps.events);

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
  const loop = new Histogram({ name: 'synguard_loop_duration_seconds', help: 'time one pass of the defender loop took', buckets: LOOP_BUCKETS, registers });

  return {
    registry,
    observeLoop: (seconds) => loop.observe(seconds),
    render: () => {
      counts = bans.update(deps.now()); // once per scrape, before the three ban metrics read it
      return registry.metrics();
    },
    contentType: registry.contentType,
  };
}
