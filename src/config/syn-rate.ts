// The kernel's first line (docs/enforce.md): per-source and per-prefix SYN-rate metering in nftables, with the
// limits a typical web server can live with. A source over its rate is dropped by the kernel at once, provisionally.
import { z } from 'zod';
import { duration } from './duration.js';

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const SECOND = 1000, HOUR = 3_600_000;

export const synRateSchema = z.strictObject({
  /** Meter SYNs in the kernel (nftables backend only; route and ipset carry on without it). */
  enabled: z.boolean().default(true),
  /**
   * SYNs per second one source that has not completed a handshake lately may send. A browser opens 6–10
   * connections at once; a real SYN flood source sends thousands a second.
   */
  perSource: int(1, 1_000_000).default(50),
  /** SYNs such a source may send at once before the rate applies: 100 at 2,000 SYN/s is 50 ms of flood. */
  burst: int(1, 1_000_000).default(100),
  /** SYNs per second the unproven sources of one /24 or /64 (config `prefixes`) may send together. */
  perPrefix: int(1, 10_000_000).default(400),
  prefixBurst: int(1, 10_000_000).default(800),
  /**
   * SYNs per second a proven source (this host sent it a packet of an established connection in the last
   * 15 minutes: a proxy, a NAT, a busy client) may send while an attack from real sources is on (a SYN flood from a
   * few addresses, a connection flood); calm, or in a spoofed SYN flood, it is never slowed. Only the excess is
   * dropped; it is never banned for rate. One wrk client without keep-alive opened 7,200–7,600 connections/s against
   * the lab's nginx: 1,000 held it to ~1,050.
   */
  proven: int(1, 10_000_000).default(10_000),
  /** How long a kernel-made drop lasts by itself, if the daemon does not turn it into a ban (it is down, say). */
  hold: duration(5 * SECOND, HOUR).prefault('60s'),
  /** Sources (and prefixes) metered at once, per family; a source idle for 1 s leaves the meter. */
  size: int(1024, 1_048_576).default(65_536),
}).superRefine((v, ctx) => {
  if (v.proven < v.perSource) ctx.addIssue({ code: 'custom', path: ['proven'], message: `must be at least perSource (${v.perSource})` });
}).prefault({});

export type SynRateConfig = z.infer<typeof synRateSchema>;
