// The uplink's inbound capacity in bits per second: configured, or the link speed the kernel reports.
import { readFileSync } from 'node:fs';

/** capacityMbps when set; else /sys/class/net/<iface>/speed (Mbit/s); 0 when unknown (-1, missing, unreadable). */
export function uplinkCapacity(iface: string, capacityMbps: number, read: (path: string) => string = (p) => readFileSync(p, 'utf8')): number {
  if (capacityMbps > 0) return capacityMbps * 1_000_000;
  try {
    const speed = Number(read(`/sys/class/net/${iface}/speed`).trim());
    return Number.isFinite(speed) && speed > 0 ? speed * 1_000_000 : 0;
  } catch {
    return 0;
  }
}
