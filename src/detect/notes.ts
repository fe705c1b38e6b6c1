// Notes on the SYN-handling configuration: what is weak, and what is merely worth knowing. Pure.
import type { DetectionConfig } from '../config/schema.js';
import type { Snapshot } from './snapshot.js';

export interface ConfigNote {
  /** A sysctl name, or `listener ADDR:PORT`. */
  readonly subject: string;
  readonly weak: boolean;
  readonly message: string;
}

function endpoint(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

export function configNotes(s: Snapshot, cfg: DetectionConfig): ConfigNote[] {
  const notes: ConfigNote[] = [];
  const sys = s.raw.sysctls;
  const cookies = sys['net.ipv4.tcp_syncookies'];
  if (cookies === 0) {
    notes.push({ subject: 'net.ipv4.tcp_syncookies', weak: true, message: 'cookies are off: once a SYN queue is full, new SYNs (legitimate ones too) are dropped; set it to 1' });
  } else if (cookies === 2) {
    notes.push({ subject: 'net.ipv4.tcp_syncookies', weak: false, message: 'cookies are sent for every SYN, not only when a queue is full; 1 is the usual setting' });
  }
  const retries = sys['net.ipv4.tcp_synack_retries'];
  if (retries !== null && retries !== undefined && retries > cfg.weakConfig.maxSynackRetries) {
    notes.push({ subject: 'net.ipv4.tcp_synack_retries', weak: true, message: `${retries} retries keep each half-open entry alive for about ${(2 ** (retries + 1) - 1)} s; 2 (about 7 s) is enough under attack` });
  } else if (retries !== null && retries !== undefined && retries >= 5) {
    notes.push({ subject: 'net.ipv4.tcp_synack_retries', weak: false, message: `half-open entries live about ${(2 ** (retries + 1) - 1)} s; lowering it to 2 under attack frees the SYN queue sooner` });
  }
  const maxSyn = sys['net.ipv4.tcp_max_syn_backlog'];
  const biggest = Math.max(0, ...s.listeners.map((l) => l.backlog ?? 0));
  if (cookies === 0 && maxSyn !== null && maxSyn !== undefined && maxSyn < biggest) {
    notes.push({ subject: 'net.ipv4.tcp_max_syn_backlog', weak: true, message: `${maxSyn} is below the largest listener backlog (${biggest}); with cookies off, unproven peers are dropped once less than a quarter of it is left` });
  }
  const somaxconn = sys['net.core.somaxconn'];
  if (somaxconn !== null && somaxconn !== undefined && somaxconn < cfg.weakConfig.minListenerBacklog) {
    notes.push({ subject: 'net.core.somaxconn', weak: true, message: `${somaxconn} caps every listener's queue; raise it to at least ${cfg.weakConfig.minListenerBacklog} (4096 is the modern default)` });
  }
  for (const l of s.listeners) {
    if (l.backlog !== null && l.backlog < cfg.weakConfig.minListenerBacklog) {
      notes.push({ subject: `listener ${endpoint(l.address, l.port)}`, weak: true, message: `backlog ${l.backlog} is below ${cfg.weakConfig.minListenerBacklog}: a small burst fills its SYN queue (the application sets it in listen())` });
    }
  }
  if (sys['net.ipv4.tcp_syn_retries'] !== undefined) {
    notes.push({ subject: 'net.ipv4.tcp_syn_retries', weak: false, message: 'governs outgoing connects only; it does nothing against an incoming flood' });
  }
  if (sys['net.ipv4.conf.all.rp_filter'] === 0) {
    notes.push({ subject: 'net.ipv4.conf.all.rp_filter', weak: false, message: 'reverse-path filtering is off: packets with sources that route back through another interface are accepted' });
  }
  return notes;
}
