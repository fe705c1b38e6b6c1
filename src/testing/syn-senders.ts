// Test support: what the kernel SYN-rate meter reports during a flood (as `meterFindings` sorts it): `dropped`
// single sources flooding at falling rates, one /24 dropped as a whole, and one proven busy client (a proxy).
import type { SynSender } from '../detect/syn-senders.js';

/** The proxy: it completes its handshakes, so the kernel never drops it for its rate. */
export const PROXY: SynSender = { address: '198.51.100.20', synPerSecond: 950, proven: true, dropped: false };
/** A /24 whose unproven sources together went over the per-prefix limit. */
export const PREFIX: SynSender = { address: '203.0.113.0/24', synPerSecond: 450, proven: false, dropped: true };

/** `flooders` sources from 198.18.0.1 at 2,000 SYN/s, 100 less each, with the proxy and the prefix; highest rate first. */
export function sampleSenders(flooders = 8): SynSender[] {
  const out: SynSender[] = [PROXY, PREFIX];
  for (let i = 0; i < flooders; i++) out.push({ address: `198.18.0.${i + 1}`, synPerSecond: 2000 - i * 100, proven: false, dropped: true });
  return out.sort((a, b) => b.synPerSecond - a.synPerSecond || a.address.localeCompare(b.address));
}
